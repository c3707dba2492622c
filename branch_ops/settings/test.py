"""Settings for pytest: the real PostgreSQL (DATABASE_URL, or the embedded one) and, when
REDIS_URL is set, the real Redis; only the password hasher and the mail backend are swapped.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_URL, NO_DATABASE_URL, env

if not DATABASE_URL:
    raise ImproperlyConfigured(NO_DATABASE_URL)

DEBUG = False
SECRET_KEY = "test-only-key-not-used-anywhere-else-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/branch-ops-test-media")  # noqa: S108
LOGGING = {"version": 1, "disable_existing_loggers": False}
