import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env):
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_start_without_secrets():
    result = _run(
        ["manage.py", "check"],
        {
            "DJANGO_SETTINGS_MODULE": "branch_ops.settings.production",
            "DATABASE_URL": "postgres://x@127.0.0.1/x",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_check_deploy():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {
            "DJANGO_SETTINGS_MODULE": "branch_ops.settings.production",
            "SECRET_KEY": "a-long-random-production-key-" + "k" * 40 + "-9f8e7d6c5b4a",
            "ALLOWED_HOSTS": "loans.branch.example",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_local_run_writes_emails_as_files_under_var_mail():
    result = _run(
        [
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)",
        ],
        {"DJANGO_SETTINGS_MODULE": "branch_ops.settings.local", "DATABASE_URL": "postgres://x@127.0.0.1/x"},
    )
    backend, path = result.stdout.split()[-2:]
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(ROOT / "var" / "mail")
