"""The zero-setup run on one machine (`make run`, `manage.py` by default).

DEBUG is on, hosts are loopback only, and the secret key is generated once into
var/secret_key (git-ignored) rather than written in the repository.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_URL, NO_DATABASE_URL, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])


if not DATABASE_URL:
    raise ImproperlyConfigured(NO_DATABASE_URL)

# Generated once by core.local_services.prepare_local_services (before any process starts);
# reading the settings only reads it.
_SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    _SECRET_KEY_FILE.read_text().strip() if _SECRET_KEY_FILE.exists() else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        f"SECRET_KEY is not set and {_SECRET_KEY_FILE} does not exist: start through manage.py or `make run`."
    )
