"""Schemathesis against the live API: every operation of /api/schema/, every check, as a
branch head and as an officer, must answer what the schema says and never a 5xx.

The server is gunicorn on loopback with the demo data in a database of its own
(``<test database>_fuzz``, made afresh each run), so the fuzzer's writes never touch the data
of other tests; tasks go to an in-memory broker and the cache is the process's own.
Bounded: 25 examples per operation and a per-request timeout keep it to a few minutes.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlparse, urlunparse

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ROLES = {"branch head": "head", "officer": "officer1"}
MAX_EXAMPLES = 25

pytestmark = pytest.mark.slow


def _fuzz_database_url() -> str:
    """The test database's server, a database named after it (the host percent-encoded, so
    the embedded PostgreSQL's socket folder works too)."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME'].removeprefix('test_')}_fuzz"
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    netloc = f"{quote(db['USER'], safe='')}{password}@{quote(db['HOST'] or '', safe='')}:{db['PORT'] or 5432}"
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


# Per role: a token, and loan numbers and case ids the role can see, so the fuzzer also
# reaches past the 404 into the rules (a schema cannot hold them: they are data).
PEOPLE = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from loan_collections.selectors import cases_visible_to
from loans.selectors import loans_visible_to
for username in {usernames!r}:
    user = get_user_model().objects.get(username=username)
    print("FUZZ", json.dumps({{
        "username": username,
        "token": Token.objects.get_or_create(user=user)[0].key,
        "loans": list(loans_visible_to(user).order_by("loan_no").values_list("loan_no", flat=True)[:20]),
        "cases": list(cases_visible_to(user).order_by("pk").values_list("pk", flat=True)[:20]),
    }}))
"""


def _config(person: dict) -> str:
    """schemathesis.toml: real loan numbers and case ids offered half of the time."""
    lines = [
        f"dictionaries.{name}.values = {json.dumps(person[name])}"
        for name in ("loans", "cases")
        if person[name]
    ]
    lines.append("[parameters]")
    for key, name in (
        ("path.loan_no", "loans"),
        ("body.loan_no", "loans"),
        ("query.case", "cases"),
        ("body.case", "cases"),
    ):
        if person[name]:
            lines.append(f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}')
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def fuzz_server():
    """(base URL, {role: token, loans and cases}) of gunicorn serving the demo data in its own database."""
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
    output = _run(env, "shell", "-c", PEOPLE.format(usernames=list(ROLES.values())))
    people = [json.loads(line[5:]) for line in output.splitlines() if line.startswith("FUZZ ")]
    by_username = {person["username"]: person for person in people}
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
        yield f"http://127.0.0.1:{port}", {role: by_username[user] for role, user in ROLES.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_api_operation_answers_as_its_schema_says_to_any_input(fuzz_server, role, tmp_path):
    base, people = fuzz_server
    (tmp_path / "schemathesis.toml").write_text(_config(people[role]), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - schemathesis of this virtualenv
        [
            str(BIN / "st"),
            "run",
            f"{base}/api/schema/?format=json",
            "--header",
            f"Authorization: Token {people[role]['token']}",
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
