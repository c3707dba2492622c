"""Benchmark of the daily delinquency recompute: N loans (default 100,000) with 24 monthly
instalments each, a tenth of them behind, then `delinquency_recompute` twice (the second run
finds nothing to change). Writes into the database of DATABASE_URL: use a scratch database.

    DATABASE_URL=postgres://.../scratch .venv/bin/python bench/delinquency_recompute.py [N]
"""

import datetime as dt
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_ops.settings.local")
from core.local_services import prepare_local_services  # noqa: E402

prepare_local_services()  # the embedded PostgreSQL when DATABASE_URL is unset
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.factories import BranchFactory, make_staff  # noqa: E402
from accounts.models import Role  # noqa: E402
from loans.models import Loan, ScheduleLine  # noqa: E402
from loans.services import delinquency_recompute, schedules_on_ledger_changed  # noqa: E402


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    branch = BranchFactory(code="BENCH", name="bench")
    officer = get_user_model().objects.filter(username="bench_officer").first() or make_staff(
        role=Role.OFFICER, branch=branch, username="bench_officer"
    )
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM loans_scheduleline USING loans_loan l WHERE loan_id = l.id AND l.loan_no LIKE 'BENCH%%'"
        )
        cursor.execute(
            "DELETE FROM loans_classificationchange USING loans_loan l WHERE loan_id = l.id AND l.loan_no LIKE 'BENCH%%'",
            [],
        )
        cursor.execute("DELETE FROM loans_loan WHERE loan_no LIKE 'BENCH%%'", [])
        cursor.execute("DELETE FROM loans_borrower WHERE id_number LIKE 'B%%'", [])
        cursor.execute(
            """INSERT INTO loans_borrower (borrower_type, name, id_number, phone, employer, industry_code,
                 industry_name, address, is_vip, contribution_note, branch_id, officer_id, created_at, updated_at)
               SELECT 'individual', 'bench ' || g, 'B' || lpad(g::text, 17, '0'), '', '', '', '', '', false, '',
                      %s, %s, now(), now() FROM generate_series(1, %s) g""",
            [branch.pk, officer.pk, count],
        )
        cursor.execute(
            """INSERT INTO loans_loan (loan_no, contract_no, branch_id, borrower_id, officer_id, product, guarantee,
                 disbursed_on, matures_on, principal, balance, annual_rate, repayment_method, repayment_day,
                 overdue_principal, overdue_interest, days_past_due, bucket, risk_class, status, property_project,
                 developer, schedule_terms, created_at, updated_at)
               SELECT 'BENCH' || lpad(b.id::text, 10, '0'), '', b.branch_id, b.id, b.officer_id, 'consumer', 'credit',
                      DATE '2025-06-10', DATE '2027-06-10', 24000, 12000, 4.35, 'equal_principal', 10,
                      0, 0, 0, 'current', 1, 'active', '', '', '', now(), now()
               FROM loans_borrower b WHERE b.id_number LIKE 'B%%'""",
            [],
        )
        # 24 instalments; the first 12 paid, except for one loan in ten, which is 2-4 behind.
        cursor.execute(
            """INSERT INTO loans_scheduleline (loan_id, seq, due_on, principal_due, interest_due,
                 principal_paid, interest_paid, paid_on)
               SELECT l.id, s, (DATE '2025-06-10' + make_interval(months => s))::date, 1000, 40,
                      CASE WHEN s <= 12 - (CASE WHEN l.id %% 10 = 0 THEN 2 + l.id %% 3 ELSE 0 END) THEN 1000 ELSE 0 END,
                      CASE WHEN s <= 12 - (CASE WHEN l.id %% 10 = 0 THEN 2 + l.id %% 3 ELSE 0 END) THEN 40 ELSE 0 END,
                      CASE WHEN s <= 12 - (CASE WHEN l.id %% 10 = 0 THEN 2 + l.id %% 3 ELSE 0 END)
                           THEN (DATE '2025-06-10' + make_interval(months => s))::date END
               FROM loans_loan l CROSS JOIN generate_series(1, 24) s WHERE l.loan_no LIKE 'BENCH%%'""",
            [],
        )
        cursor.execute("ANALYZE loans_loan; ANALYZE loans_scheduleline")
    print(f"generated {count} loans and {count * 24} instalments in {time.monotonic() - started:.1f} s")
    as_of = dt.date(2026, 6, 20)
    for run in ("first", "second"):
        started = time.monotonic()
        changed = delinquency_recompute(as_of=as_of)
        elapsed = time.monotonic() - started
        print(f"{run} recompute: {changed} loans changed, {elapsed:.2f} s ({count / elapsed:,.0f} loans/s)")
    # The LEDGER_CHANGE_HANDLERS path after an import: schedules for loans that have none.
    ids = list(Loan.objects.filter(loan_no__startswith="BENCH").values_list("id", flat=True))
    ScheduleLine.objects.filter(loan_id__in=ids).delete()
    Loan.objects.filter(pk__in=ids).update(
        as_of=as_of,
        days_past_due=0,
        bucket="current",
        risk_class=1,
        overdue_principal=0,
        overdue_interest=0,
        schedule_terms="",
    )
    for run in ("build", "re-run"):
        started = time.monotonic()
        touched = schedules_on_ledger_changed(loan_ids=ids, as_of=as_of)
        elapsed = time.monotonic() - started
        print(f"schedules {run}: {touched} loans, {elapsed:.1f} s ({len(ids) / elapsed:,.0f} loans/s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
