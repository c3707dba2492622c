"""`make bench-jobs`: the nightly and monthly jobs on the bench data of `bench/run.py`, timed.

Builds the bench database with run.py's own data generation (branches, officers, borrowers,
loans, a year of repayments; ``--reuse`` keeps a database built before), adds what the jobs
read and run.py does not make (twelve monthly instalments per loan around the reminder day,
one branch head per sub-branch, the default action templates, the collection cases), then
times each job at that size and prints a table with the targets of issue 15 and the load
average (``os.getloadavg``) when each job ran: the machine is shared, so read every figure
with its load.

    .venv/bin/python bench/jobs.py [--loans 100000] [--branches 500] [--officers 2000] [--reuse [--fixtures]]
                                   [--without-repayments]

The day of the run is the 20th of this month (of last month before the 20th): the reminder
day. Tasks are queued to an in-memory broker; nothing leaves the bench database.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402 - bench/run.py: the database and its data generation

TARGETS_S = {
    "delinquency recompute": 120,
    "required actions": 120,
    "day-20 reminders": 60,
    "month-end snapshot": 60,
}

# What the jobs need beyond run.py's data. Instalments: months -6..+5 around the run day, due
# on day 1-28 by loan; paid before the run day, except for the loans run.py made overdue,
# whose lines from (run day - days past due) on are unpaid.
FIXTURES = [
    """INSERT INTO loans_scheduleline (loan_id, seq, due_on, principal_due, interest_due,
                                      principal_paid, interest_paid, paid_on)
       SELECT l.id, m + 7, d.due_on, 1500, 300,
              CASE WHEN p.paid THEN 1500 ELSE 0 END, CASE WHEN p.paid THEN 300 ELSE 0 END,
              CASE WHEN p.paid THEN d.due_on END
       FROM loans_loan l
       CROSS JOIN generate_series(-6, 5) m
       CROSS JOIN LATERAL (SELECT (date_trunc('month', %(day)s::date) + make_interval(months => m)
                                   + make_interval(days => (l.id %% 28)::int))::date AS due_on) d
       CROSS JOIN LATERAL (SELECT d.due_on < %(day)s::date - l.days_past_due AS paid) p""",
    """INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                             is_active, date_joined)
       SELECT '!', false, 'benchhead' || b.code, '', '', 'head' || b.code || '@example.com', false, true, now()
       FROM accounts_branch b WHERE b.parent_id IS NOT NULL AND b.code LIKE '99%%'""",
    """INSERT INTO accounts_staffprofile (user_id, employee_no, full_name, branch_id, role, phone)
       SELECT u.id, 'H' || b.code, '行长' || b.code, b.id, 'branch_head', ''
       FROM accounts_branch b JOIN auth_user u ON u.username = 'benchhead' || b.code""",
]


def build_data(args, results) -> None:
    """run.py's data (its GENERATE statements), faster: triggers off while loading (no history
    rows for the generated data, no foreign-key trigger checks: the statements are consistent
    by construction), and without the year of repayments with ``--without-repayments`` (no job
    timed here reads them; bench/partitioning.py measures that table at scale)."""
    from django.db import connection

    params = {"branches": args.branches, "officers": args.officers, "loans": args.loans}
    statements = [
        sql for sql in run.GENERATE if not (args.without_repayments and "INSERT INTO loans_repayment" in sql)
    ]

    def build():
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            try:
                for sql in statements:
                    cursor.execute(sql, params)
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")

    what = "" if args.without_repayments else f" + {args.loans * 12:,} repayments"
    run.timed(f"generate {args.loans:,} loans{what} (run.py's statements)", results, build)


def run_day(today: dt.date) -> dt.date:
    this_month = today.replace(day=20)
    if today >= this_month:
        return this_month
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=20)


def add_fixtures(day: dt.date, results: dict) -> None:
    from django.db import connection

    from loan_collections.services import cases_sync
    from post_loan.services import action_templates_seed

    def build():
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            try:
                for sql in FIXTURES:
                    cursor.execute(sql, {"day": day})
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
            # The steady state of a live database, as in run.py.
            cursor.execute("VACUUM ANALYZE")
        action_templates_seed()
        cases_sync(as_of=day)

    run.timed("job fixtures (instalments, heads, templates, cases)", results, build)


def loadavg() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine:
    /proc/<pid>/stat; parallel workers not counted)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Timer:
    """Times each job: wall clock, the load when it ran, and the CPU seconds of this process
    and of its database backend, which depend far less on what else the machine runs."""

    def __init__(self):
        self.rows: list[tuple[str, str, float, str, float, float]] = []

    def __call__(self, job: str, what: str, fn):
        load = loadavg()
        db_before, cpu_before = backend_cpu(), time.process_time()
        started = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - started
        cpu, db = time.process_time() - cpu_before, backend_cpu() - db_before
        self.rows.append((job, what, elapsed, load, cpu, db))
        print(
            f"  {job} ({what}): {elapsed:.1f} s, python {cpu:.1f} s + database {db:.1f} s CPU, "
            f"load {load} -> {value}",
            flush=True,
        )
        return value


def reset_generated(day: dt.date) -> None:
    """Back to the state before the jobs ran, so a --reuse run measures the same work."""
    from django.db import connection

    from loan_collections.reminders import SUMMARY_KIND, WORKLIST_KIND
    from notifications.models import OutgoingEmail

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE post_loan_requiredaction, post_loan_loanclasssnapshot CASCADE")
    OutgoingEmail.objects.filter(kind__in=[WORKLIST_KIND, SUMMARY_KIND]).delete()


def ledger_handlers(loan_ids: list[int], day: dt.date) -> int:
    """What the Celery task after a recompute runs, in its chunks, here in-process."""
    from django.conf import settings
    from django.db import transaction
    from django.utils.module_loading import import_string

    from loans.services.ledger_changes import LEDGER_CHANGE_CHUNK

    for start in range(0, len(loan_ids), LEDGER_CHANGE_CHUNK):
        with transaction.atomic():
            for path in settings.LEDGER_CHANGE_HANDLERS:
                import_string(path)(loan_ids=loan_ids[start : start + LEDGER_CHANGE_CHUNK], as_of=day)
    return len(loan_ids)


def run_jobs(day: dt.date, last_month_end: dt.date, timer: Timer, *, followups: bool) -> None:
    from dashboard.services import snapshot_build
    from loan_collections.reminders import reminders_send
    from loan_collections.services import cases_sync
    from loans.models import Loan
    from loans.services import delinquency_recompute
    from post_loan.services import required_actions_generate

    reset_generated(day)
    next_day = day + dt.timedelta(days=1)
    timer("delinquency recompute", f"as of {day}", lambda: delinquency_recompute(as_of=day))
    timer("delinquency recompute", f"next day {next_day}", lambda: delinquency_recompute(as_of=next_day))
    timer("month-end snapshot", f"{last_month_end}", lambda: snapshot_build(as_of=last_month_end))
    timer("required actions", f"first run, {day}", lambda: required_actions_generate(as_of=day))
    timer("required actions", f"next day {next_day}", lambda: required_actions_generate(as_of=next_day))
    timer("day-20 reminders", f"{day}", lambda: reminders_send(day=day))
    timer("day-20 reminders", "second run (nothing new)", lambda: reminders_send(day=day))
    if followups:
        # What the recompute queues (a Celery task per 2,000 changed loans) and the 07:00 job.
        changed = list(Loan.objects.filter(days_past_due__gt=0).order_by("id").values_list("id", flat=True))
        timer("ledger-change handlers", "after the recompute", lambda: ledger_handlers(changed, next_day))
        timer("collection cases (07:00)", f"as of {next_day}", lambda: cases_sync(as_of=next_day))


def table_sizes() -> list[tuple[str, int, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT relname, reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid))
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'r'
               ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8"""
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        rows.append(("(whole database)", 0, cursor.fetchone()[0]))
    return rows


def print_table(args, timer: Timer, results: dict) -> None:
    print()
    print(
        f"branch-ops jobs: {args.loans:,} loans, {args.branches} branches, {args.officers} officers "
        f"(database {urlparse(run.bench_database_url()).path.lstrip('/')})"
    )
    print(
        f"| {'job':<26} | {'run':<26} | {'seconds':>8} | {'target':>7} |      | {'load 1/5/15 min':<15} "
        f"| {'CPU py':>6} | {'CPU db':>6} |"
    )
    print(f"|{'-' * 28}|{'-' * 28}|{'-' * 10}|{'-' * 9}|------|{'-' * 17}|{'-' * 8}|{'-' * 8}|")
    for job, what, seconds, load, cpu, db in timer.rows:
        target = TARGETS_S.get(job)
        verdict = ("ok" if seconds < target else "SLOW") if target else ""
        shown = f"< {target}" if target else ""
        print(
            f"| {job:<26} | {what:<26} | {seconds:>8.1f} | {shown:>7} | {verdict:<4} | {load:<15} "
            f"| {cpu:>6.1f} | {db:>6.1f} |"
        )
    for label, seconds in results.items():
        print(f"setup: {label}: {seconds:.0f} s")
    for name, rows, size in table_sizes():
        print(f"size: {name} {rows:,} rows {size}" if rows else f"size: {name} {size}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--branches", type=int, default=500)
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if it exists")
    parser.add_argument(
        "--followups", action="store_true", help="also the ledger-change handlers and the 07:00 case sync"
    )
    parser.add_argument("--without-repayments", action="store_true", help="skip run.py's year of repayments")
    parser.add_argument(
        "--fixtures",
        action="store_true",
        help="with --reuse of a database bench/run.py built: add the job fixtures first (once)",
    )
    args = parser.parse_args()

    url = run.bench_database_url()
    env = run.served_environment(url)
    env["CELERY_BROKER_URL"] = "memory://"
    os.environ.update(env)
    results: dict[str, float] = {}
    print(f"bench database: {urlparse(url).path.lstrip('/')}, load {loadavg()}", flush=True)
    fresh = run.recreate_database(url, reuse=args.reuse)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    day = run_day(today)
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    if fresh:
        build_data(args, results)
    if fresh or args.fixtures:
        add_fixtures(day, results)
    timer = Timer()
    run_jobs(day, last_month_end, timer, followups=args.followups)
    print_table(args, timer, results)


if __name__ == "__main__":
    main()
