"""`make bench`: a city branch in PostgreSQL, served by gunicorn, timed.

Builds (in its own database, bo_bench by default) 50 branches under one city branch, 400
officers and 100,000 loans (``--loans 1000000`` for a province) with a year of monthly
repayments, all with INSERT ... SELECT generate_series (no Python loop over rows); times the
month-end snapshot build; then serves the application with gunicorn on a free port of
127.0.0.1 and measures p50/p95 of the dashboard, the summary API, the filtered loan list,
the loan detail and the borrower page; today's dashboard also just after a repayment (one
branch's figures recomputed), just after an import of every loan (the figures from before it,
until the worker's refresh) and just after the refresh; and times the refresh itself.
Prints a table with the load average beside each figure (BENCH_ONLY=dashboard measures one
kind of page only).

    .venv/bin/python bench/run.py [--loans 100000] [--requests 60] [--reuse]
"""

import argparse
import datetime as dt
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Issue 15's targets (p95 on this 2-core machine, after a warm-up).
TARGETS_MS = {
    "dashboard": 1000,
    "summary API": 300,
    "loan list": 200,
    "loan detail": 200,
    "borrower page": 200,
}


def bench_database_url() -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunparse(base._replace(path="/bo_bench"))


def recreate_database(url: str, *, reuse: bool) -> bool:
    """Create the bench database (dropping an old one unless reusing). True if it is new."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and reuse:
            return False
        if exists:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return True


def timed(label, results, fn):
    started = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - started
    print(f"  {label}: {results[label]:.1f} s", flush=True)
    return value


GENERATE = [
    # The city branch and its sub-branches.
    """INSERT INTO accounts_branch (code, name, parent_id) VALUES ('9900', '基准市分行', NULL)""",
    """INSERT INTO accounts_branch (code, name, parent_id)
       SELECT '99' || lpad(g::text, 4, '0'), '基准支行' || g, (SELECT id FROM accounts_branch WHERE code = '9900')
       FROM generate_series(1, %(branches)s) g""",
    # Officers, spread evenly over the sub-branches (password unusable: sessions are made directly).
    """INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       SELECT '!', false, 'bench' || g, '', '', 'bench' || g || '@example.com', false, true, now()
       FROM generate_series(1, %(officers)s) g""",
    """INSERT INTO accounts_staffprofile (user_id, employee_no, full_name, branch_id, role, phone)
       SELECT u.id, 'B' || lpad(substr(u.username, 6), 6, '0'), '客户经理' || substr(u.username, 6),
              b.id, 'officer', ''
       FROM auth_user u
       JOIN accounts_branch b ON b.code = '99' || lpad((((substr(u.username, 6)::int - 1) %% %(branches)s) + 1)::text, 4, '0')
       WHERE u.username LIKE 'bench%%'""",
    """CREATE TEMP TABLE bench_officer AS
       SELECT row_number() OVER (ORDER BY p.user_id) - 1 AS n, p.user_id, p.branch_id
       FROM accounts_staffprofile p JOIN auth_user u ON u.id = p.user_id WHERE u.username LIKE 'bench%%'""",
    """INSERT INTO loans_borrower (borrower_type, name, id_number, phone, employer, industry_code, industry_name,
                                   address, is_vip, contribution_note, branch_id, officer_id, created_at, updated_at)
       SELECT CASE WHEN g %% 10 = 0 THEN 'corporate' ELSE 'individual' END, '借款人' || g,
              'X' || lpad(g::text, 17, '0'), '139' || lpad((g %% 100000000)::text, 8, '0'), '', '', '', '',
              false, '', o.branch_id, o.user_id, now(), now()
       FROM generate_series(1, %(loans)s) g JOIN bench_officer o ON o.n = g %% %(officers)s""",
    # One loan per borrower; about 3 %% overdue, a third of those non-performing; class and bucket
    # follow days past due as the ledger's constraints require.
    """INSERT INTO loans_loan (loan_no, contract_no, branch_id, borrower_id, officer_id, product, guarantee,
                               disbursed_on, matures_on, principal, balance, annual_rate, repayment_method,
                               repayment_day, overdue_principal, overdue_interest, days_past_due, bucket,
                               risk_class, status, property_project, developer, as_of, created_at, updated_at)
       SELECT 'BJ' || lpad(b.id::text, 12, '0'), 'BH' || b.id, b.branch_id, b.id, b.officer_id,
              (ARRAY['housing','consumer','personal_business','working_capital','fixed_asset'])[1 + b.id %% 5],
              (ARRAY['credit','surety','mortgage','pledge'])[1 + b.id %% 4],
              DATE '2024-01-15' + (b.id %% 600)::int, DATE '2029-01-15' + (b.id %% 600)::int,
              100000 + (b.id %% 50) * 10000, 80000 + (b.id %% 50) * 8000, 4.35, 'equal_instalment', 15,
              CASE WHEN d.dpd > 0 THEN 1000 ELSE 0 END, 0, d.dpd,
              CASE WHEN d.dpd = 0 THEN 'current' WHEN d.dpd <= 30 THEN '1-30' WHEN d.dpd <= 60 THEN '31-60'
                   WHEN d.dpd <= 90 THEN '61-90' WHEN d.dpd <= 180 THEN '91-180' WHEN d.dpd <= 270 THEN '181-270'
                   WHEN d.dpd <= 360 THEN '271-360' ELSE '360+' END,
              CASE WHEN d.dpd = 0 THEN 1 WHEN d.dpd <= 90 THEN 2 WHEN d.dpd <= 270 THEN 3 WHEN d.dpd <= 360 THEN 4 ELSE 5 END,
              'active', '', '', CURRENT_DATE, now(), now()
       FROM loans_borrower b
       CROSS JOIN LATERAL (SELECT CASE WHEN b.id %% 100 < 3 THEN 1 + (b.id * 7) %% 400 ELSE 0 END AS dpd) d
       WHERE b.name LIKE '借款人%%'""",
    # A year of monthly repayments for every loan.
    """INSERT INTO loans_repayment (loan_id, paid_on, principal, interest, source, reference, recorded_by_id, created_at)
       SELECT l.id, (date_trunc('month', CURRENT_DATE) - (m || ' months')::interval)::date + 14,
              1500, 300, 'import', 'BR' || l.id || '-' || m, NULL, now()
       FROM loans_loan l CROSS JOIN generate_series(1, 12) m""",
]


def build_data(args, results):
    from django.db import connection

    params = {"branches": args.branches, "officers": args.officers, "loans": args.loans}

    def run():
        with connection.cursor() as cursor:
            for sql in GENERATE:
                cursor.execute(sql, params)
            # The steady state of a live database (autovacuum has set the visibility map and
            # hint bits): freshly inserted rows would make the first reads write.
            cursor.execute("VACUUM ANALYZE")

    timed(f"generate {args.loans:,} loans + {args.loans * 12:,} repayments", results, run)


def copy_history(last_month_end: dt.date):
    """Two years of month ends (and ten year ends) copied from the built snapshot in SQL."""
    from django.db import connection

    from dashboard.selectors import month_end

    days = {month_end(last_month_end.year - back // 12, 12 - back % 12) for back in range(0, 24)}
    days |= {dt.date(last_month_end.year - back, 12, 31) for back in range(1, 11)}
    days.add(dt.date(last_month_end.year, 1, 1))
    days = sorted(day for day in days if day < last_month_end)
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO dashboard_portfoliosnapshot (as_of, branch_id, officer_id, balance, npl_balance,
                   overdue_balance, loan_count, by_product, by_borrower_type, by_class, by_bucket, source, built_at)
               SELECT d, branch_id, officer_id, round(balance * 0.97, 2), round(npl_balance * 0.9, 2),
                      round(overdue_balance * 0.9, 2), loan_count, by_product, by_borrower_type, by_class, by_bucket,
                      'import', now()
               FROM dashboard_portfoliosnapshot CROSS JOIN unnest(%s::date[]) d WHERE as_of = %s""",
            [days, last_month_end],
        )
        cursor.execute("VACUUM ANALYZE dashboard_portfoliosnapshot")


def make_people():
    """A city head, a branch head and an officer, each with a session; a token for the API."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    from accounts.models import Branch, Role, StaffProfile

    User = get_user_model()
    city = Branch.objects.get(code="9900")
    first = Branch.objects.get(code="990001")
    people = {}
    for username, role, branch in (
        ("bench-city", Role.BRANCH_HEAD, city),
        ("bench-head", Role.BRANCH_HEAD, first),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"password": "!"})
        StaffProfile.objects.get_or_create(
            user=user,
            defaults={"employee_no": username, "full_name": username, "branch": branch, "role": role},
        )
        people[username] = user
    people["bench-officer"] = User.objects.get(username="bench1")
    sessions = {}
    for name, user in people.items():
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions[name] = store.session_key
    token, _ = Token.objects.get_or_create(user=people["bench-city"])
    return sessions, token.key, first.code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    def __init__(self, port, *, session=None, token=None):
        self.port, self.session, self.token = port, session, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def get(self, path):
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.session:
            headers["Cookie"] = f"sessionid={self.session}"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        started = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return elapsed


def measure(client, path, n, *, before=None):
    """p50 and p95 in ms; ``before`` runs before every request (e.g. a ledger change, so
    today's figures are computed afresh each time)."""
    for _ in range(3):
        client.get(path)
    samples = []
    for _ in range(n):
        if before:
            before()
        samples.append(client.get(path))
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def ledger_changes(branch_code: str) -> dict:
    """What runs before a request measured "after a change": ``?cold`` the ledger-change hook
    of an import of every branch (it queues the worker's refresh, which nobody runs here: the
    request finds the figures from before the import), ``?imported`` the worker's refresh
    itself (every branch computed, then swapped in: what a head sees from a few seconds after
    the import), ``?changed`` a repayment on one loan of the branch (the hook drops that
    branch's figures: the request computes them again)."""
    from dashboard.selectors import ledger_figures_refresh, today
    from dashboard.services import ledger_figures_changed
    from loans.models import Loan

    loan_id = Loan.objects.filter(branch__code=branch_code).values_list("id", flat=True).first()
    one_per_branch = list(
        Loan.objects.order_by("branch_id").distinct("branch_id").values_list("id", flat=True)
    )
    return {
        "cold": lambda: ledger_figures_changed(loan_ids=one_per_branch, as_of=today()),
        "imported": lambda: ledger_figures_refresh(),
        "changed": lambda: ledger_figures_changed(loan_ids=[loan_id], as_of=today()),
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# The bench's own Redis database (the tests use 1, `make run` none): its cache, emptied by
# every process that serves a bench database, so figures cached for one bench database are
# never read for another (their branches have the same ids).
BENCH_REDIS_URL = "redis://127.0.0.1:6379/3"


def bench_cache_url() -> str:
    """Redis, as in production (BENCH_REDIS_URL, else the local Redis's database 3), emptied;
    "" when no Redis answers: each gunicorn worker then caches in its own memory (LocMemCache,
    which keeps a bounded number of entries), unlike production, and the figures say so."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL", BENCH_REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        print(f"note: no Redis at {url}: the served application caches in per-process memory")
        return ""
    return url


def served_environment(url: str) -> dict:
    """The environment of a production-settings gunicorn on loopback over plain HTTP, with
    the bench's Redis as its cache (bench_cache_url)."""
    env = dict(os.environ)
    env.update(
        REDIS_URL=bench_cache_url(),
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="branch_ops.settings.production",
        SECRET_KEY=secrets.token_hex(32),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        LOG_LEVEL="WARNING",
    )
    return env


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--officers", type=int, default=400)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if it exists")
    args = parser.parse_args()

    url = bench_database_url()
    env = served_environment(url)
    os.environ.update(env)
    results: dict[str, float] = {}
    print(f"bench database: {urlparse(url).path.lstrip('/')}", flush=True)
    fresh = recreate_database(url, reuse=args.reuse)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from dashboard.services import snapshot_build

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    last_month_end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    if fresh:
        build_data(args, results)
        rows = timed("month-end snapshot build", results, lambda: snapshot_build(as_of=last_month_end))
        print(f"  ({rows} snapshot rows)")
        copy_history(last_month_end)
    else:
        timed("month-end snapshot build", results, lambda: snapshot_build(as_of=last_month_end))
    from dashboard.selectors import ledger_figures_refresh

    timed("figures refresh (every branch computed, then swapped in)", results, ledger_figures_refresh)
    sessions, token, branch_code = make_people()
    from django.db import connections

    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "branch_ops.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            # A province's first (uncached) city dashboard can take longer than gunicorn's
            # default 30 s on a loaded machine: the worker must live to cache it.
            "--timeout",
            "300",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        from django.urls import reverse

        from loans.models import Loan

        city = Client(port, session=sessions["bench-city"])
        head = Client(port, session=sessions["bench-head"])
        officer = Client(port, session=sessions["bench-officer"])
        api = Client(port, token=token)
        officer_id = (
            Loan.objects.filter(branch__code=branch_code).values_list("officer_id", flat=True).first()
        )
        checks = [
            ("dashboard", f"city, {args.branches} branches, today", city, "/dashboard/"),
            ("dashboard", "city, after a repayment", city, "/dashboard/?changed"),
            ("dashboard", "city, after an import, before the refresh", city, "/dashboard/?cold"),
            ("dashboard", "city, just after the refresh", city, "/dashboard/?imported"),
            ("dashboard", "city, past month end", city, f"/dashboard/?as_of={last_month_end}"),
            ("dashboard", "one branch, today", head, "/dashboard/"),
            ("dashboard", "one branch, after a repayment", head, "/dashboard/?changed"),
            ("dashboard", "one branch, after an import, before refresh", head, "/dashboard/?cold"),
            ("dashboard", "officer, today", officer, "/dashboard/"),
            ("summary API", "city, today", api, "/api/v1/dashboard/summary/"),
            ("summary API", "city, after a repayment", api, "/api/v1/dashboard/summary/?changed"),
            (
                "summary API",
                "city, after an import, before the refresh",
                api,
                "/api/v1/dashboard/summary/?cold",
            ),
            ("summary API", "city, just after the refresh", api, "/api/v1/dashboard/summary/?imported"),
            (
                "summary API",
                "one branch, month end",
                api,
                f"/api/v1/dashboard/summary/?as_of={last_month_end}&branch={branch_code}",
            ),
        ]
        notes = ["ledger import: measured by `make bench-import` (100,000-row file)"]
        loan_no, borrower_id = (
            Loan.objects.filter(branch__code=branch_code).values_list("loan_no", "borrower_id").first()
        )
        changes = ledger_changes(branch_code)
        checks += [
            (
                "loan list",
                "one branch, filtered",
                head,
                f"{reverse('loan-list')}?officer={officer_id}&product=housing&bucket=current",
            ),
            ("loan detail", "one branch", head, reverse("loan-detail", args=[loan_no])),
            ("borrower page", "one branch", head, reverse("borrower-detail", args=[borrower_id])),
        ]
        only = os.environ.get("BENCH_ONLY")  # e.g. "dashboard": measure that kind only
        rows = []
        for kind, what, client, path in checks:
            if only and kind != only:
                continue
            load = load_average()
            p50, p95 = measure(client, path, args.requests, before=changes.get(path.rpartition("?")[2]))
            target = TARGETS_MS.get(kind)
            rows.append(
                (
                    kind,
                    what,
                    f"{p50:.0f}",
                    f"{p95:.0f}",
                    f"< {target}" if target else "",
                    "ok" if p95 < target else "SLOW",
                    load,
                )
            )
            print(f"  {kind}, {what}: p50 {p50:.0f} ms, p95 {p95:.0f} ms (load {load})", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)

    print()
    print(
        f"branch-ops bench: {args.loans:,} loans, {args.branches} branches, {args.officers} officers, "
        f"{args.requests} requests each, gunicorn -w {args.workers}"
    )
    print(
        f"| {'what':<13} | {'scope':<40} | {'p50 ms':>7} | {'p95 ms':>7} | {'target':>7} |      | load (1, 5, 15 min) |"
    )
    print(f"|{'-' * 15}|{'-' * 42}|{'-' * 9}|{'-' * 9}|{'-' * 9}|------|---------------------|")
    for kind, what, p50, p95, target, verdict, load in rows:
        print(f"| {kind:<13} | {what:<40} | {p50:>7} | {p95:>7} | {target:>7} | {verdict:<4} | {load:<19} |")
    seconds = results["month-end snapshot build"]
    print(
        f"| {'snapshot':<13} | {'month end, every branch':<40} | {seconds * 1000:>7.0f} | {'':>7} | {'< 60000':>7} | {'ok' if seconds < 60 else 'SLOW':<4} | |"
    )
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
