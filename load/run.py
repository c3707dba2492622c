"""`make load`: 50 loan officers and 2 branch heads (Locust) against gunicorn on the
100,000-loan bench database of `make bench` (bo_bench), for two minutes.

Builds the bench data when the database is missing (bench/run.py's generator), gives 50
officers and 2 branch heads of sub-branches a known password, serves the app with gunicorn
(production settings) on a free port, runs Locust headless and prints requests per second,
p50/p95/p99 per page and the error count, against the targets (zero errors, p95 < 500 ms).

    .venv/bin/python load/run.py [--duration 2m] [--users 52] [--workers N]
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "Load#Test2026"  # noqa: S105 - a throw-away bench database, documented in the README
OUT = ROOT / "var" / "load"


def prepare_people(officers: int) -> dict:
    """Officers bench1..N (one per sub-branch first) and two branch heads, all with PASSWORD;
    each officer with a few of their loan numbers and a borrower name to search."""
    from django.contrib.auth import get_user_model

    from accounts.models import Branch, Role, StaffProfile
    from loans.models import Loan

    User = get_user_model()
    people = {"password": PASSWORD, "officers": [], "heads": []}
    hashed = None
    for n in range(1, officers + 1):
        user = User.objects.get(username=f"bench{n}")
        if hashed is None:
            user.set_password(PASSWORD)
            hashed = user.password
        User.objects.filter(pk=user.pk).update(password=hashed)
        loans = list(
            Loan.objects.filter(officer=user)
            .order_by("loan_no")
            .values_list("loan_no", "borrower__name")[:20]
        )
        people["officers"].append(
            {"username": user.username, "loans": [no for no, _ in loans], "borrower": loans[0][1]}
        )
    for code in ("990001", "990002"):
        username = f"load-head-{code}"
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
        User.objects.filter(pk=user.pk).update(password=hashed, is_active=True)
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "employee_no": username,
                "full_name": f"支行负责人{code}",
                "branch": Branch.objects.get(code=code),
                "role": Role.BRANCH_HEAD,
            },
        )
        people["heads"].append({"username": username})
    return people


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", default="2m", help="Locust run time, e.g. 2m or 45s")
    parser.add_argument("--users", type=int, default=52, help="50 officers + 2 branch heads")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (one per CPU)"
    )
    args = parser.parse_args()

    from bench.run import GENERATE, bench_database_url, recreate_database, served_environment  # noqa: F401

    url = bench_database_url()
    env = served_environment(url)
    env["AXES_FAILURE_LIMIT"] = "1000"  # 52 users log in at once from one address
    os.environ.update(env)
    print(f"load database: {urlparse(url).path.lstrip('/')}", flush=True)
    fresh = recreate_database(url, reuse=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if fresh:
        from bench import run as bench

        bench.build_data(argparse.Namespace(branches=50, officers=400, loans=100_000), {})
    officers = max(1, args.users - 2)
    people = prepare_people(officers)
    OUT.mkdir(parents=True, exist_ok=True)
    users_file = OUT / "users.json"
    users_file.write_text(json.dumps(people, ensure_ascii=False))
    from django.db import connections

    connections.close_all()

    port = free_port()
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "branch_ops.wsgi", "-b", f"127.0.0.1:{port}"]
    gunicorn += ["-w", str(args.workers), "--access-logfile", "/dev/null"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(args.workers * 3):  # every worker imports the app before the clock starts
            urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=60).read()  # noqa: S310
        prefix = OUT / "locust"
        locust = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "load" / "locustfile.py")]
        locust += ["--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration]
        locust += ["--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary"]
        locust += ["--loglevel", "WARNING", "--stop-timeout", "10"]
        subprocess.run(locust, cwd=ROOT, env={**env, "LOAD_USERS": str(users_file)}, check=False)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(prefix, args)


def report(prefix: Path, args) -> None:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print()
    print(
        f"branch-ops load: {args.users} users (officers + 2 branch heads), {args.duration}, "
        f"gunicorn -w {args.workers}, 100,000 loans"
    )
    print(
        f"| {'page':<28} | {'requests':>8} | {'errors':>6} | {'req/s':>6} | {'p50 ms':>6} | {'p95 ms':>6} | {'p99 ms':>6} |"
    )
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 8}|")
    slow = []
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL PAGES"
        print(
            f"| {name:<28} | {row['Request Count']:>8} | {row['Failure Count']:>6} | "
            f"{float(row['Requests/s']):>6.1f} | {row['50%']:>6} | {row['95%']:>6} | {row['99%']:>6} |"
        )
        if row["Name"] not in ("Aggregated", "login") and float(row["95%"]) >= 500:
            slow.append(name)
    total = rows[-1]
    errors = int(total["Failure Count"])
    print(f"errors: {errors} (target 0); p95 over 500 ms: {', '.join(slow) or 'none'}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
