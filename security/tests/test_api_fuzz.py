"""Schemathesis against the live API: every operation of /api/schema/, every check, as a
branch head and as an officer, must answer what the schema says and never a 5xx.

The server is gunicorn on loopback with the demo data in a database of its own
(``<test database>_fuzz``, made afresh each run), so the fuzzer's writes never touch the data
of other tests; tasks go to an in-memory broker and the cache is the process's own.
Bounded: 25 examples per operation and a per-request timeout keep it to a few minutes.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ROLES = {"branch head": "head", "officer": "officer1"}
MAX_EXAMPLES = 25

pytestmark = pytest.mark.slow


def _fuzz_database_url() -> str:
    db = settings.DATABASES["default"]
    name = f"{db['NAME'].removeprefix('test_')}_fuzz"
    netloc = (
        f"{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}@{db['HOST']}:{db['PORT'] or 5432}"
    )
    return urlunparse(("postgres", netloc, f"/{name}", "", "", ""))


def _recreate(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(env, *args) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


TOKENS = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
for username in {usernames!r}:
    print("TOKEN", username, Token.objects.get_or_create(user=get_user_model().objects.get(username=username))[0].key)
"""


@pytest.fixture(scope="module")
def fuzz_server():
    """(base URL, {role: token}) of gunicorn serving the demo data in its own database."""
    url = _fuzz_database_url()
    _recreate(url)
    env = {
        key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "CELERY_RESULT_BACKEND"}
    }
    env |= {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "branch_ops.settings.test",
        "CELERY_BROKER_URL": "memory://",
    }
    _run(env, "migrate", "--noinput", "--verbosity", "0")
    _run(env, "seed_demo")
    output = _run(env, "shell", "-c", TOKENS.format(usernames=list(ROLES.values())))
    tokens = dict(line.split()[1:] for line in output.splitlines() if line.startswith("TOKEN "))
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - gunicorn of this virtualenv
        [str(BIN / "gunicorn"), "branch_ops.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", {role: tokens[user] for role, user in ROLES.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_api_operation_answers_as_its_schema_says_to_any_input(fuzz_server, role, tmp_path):
    base, tokens = fuzz_server
    done = subprocess.run(  # noqa: S603 - schemathesis of this virtualenv
        [
            str(BIN / "st"),
            "run",
            f"{base}/api/schema/?format=json",
            "--header",
            f"Authorization: Token {tokens[role]}",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--workers",
            "2",
            "--request-timeout",
            "30",
            "--seed",
            "20140630",
            "--no-color",
            "--report-dir",
            str(tmp_path),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]
