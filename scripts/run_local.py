"""`make run`: the whole application on one machine with embedded defaults.

Starts (or reuses) the embedded PostgreSQL, migrates, seeds the demo data, then runs the
web server (gunicorn), a Celery worker and Celery beat as child processes until Ctrl-C.
Emails are written to var/mail/ as files; the broker is kombu's filesystem transport.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_ops.settings.local")
PORT = os.environ.get("PORT", "8000")
BIN = Path(sys.executable).parent


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True)  # noqa: S603


def main() -> int:
    started = time.monotonic()
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("seed_demo")
    (ROOT / "var" / "mail").mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [
            str(BIN / "gunicorn"),
            "branch_ops.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
            "--env",
            "DJANGO_SETTINGS_MODULE=branch_ops.settings.local",
        ],
        "worker": [
            str(BIN / "celery"),
            "-A",
            "branch_ops",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            # One machine: one worker on every queue (a province runs one per kind, README).
            "-Q",
            "default,email,imports,reports",
        ],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "branch_ops",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
    }
    processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
    url = f"http://127.0.0.1:{PORT}/"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "accounts/login/", timeout=1):  # noqa: S310
                break
        except OSError:
            time.sleep(0.2)
    from accounts.demo import DEMO_PASSWORD, DEMO_STAFF

    print("\n" + "=" * 70)
    print(f"branch-ops is running at {url}  (first page after {time.monotonic() - started:.1f} s)")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, _employee_no, full_name, role, branch_code in DEMO_STAFF:
        print(f"  {username:<11} {full_name}  {role.label}  ({branch_code})")
    print(f"Emails are written to {ROOT / 'var' / 'mail'}")
    print("Press Ctrl-C to stop web, worker and beat ('make stop' also stops the database).")
    print("=" * 70 + "\n", flush=True)

    def stop(*_args):
        for process in processes.values():
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    failed = [name for name, process in processes.items() if process.returncode not in (0, -15, None)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from core.local_services import prepare_local_services

    # Before Django reads the settings: the children (manage.py, gunicorn, worker, beat)
    # inherit DATABASE_URL and find the broker folders and secret key in place.
    prepare_local_services()
    import django

    django.setup()
    sys.exit(main())
