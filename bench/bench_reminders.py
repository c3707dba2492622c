"""Benchmark: the day-20 collection reminder run for a city branch.

Builds, in a throw-away PostgreSQL database (<DATABASE_URL name>_bench_reminders), a city
branch with 20 county branches, 200 loan officers, 20 branch heads and 100,000 loans (one
instalment due this month each, 5 % overdue with an open collection case, some promises),
then times building and queuing every worklist and summary email, counts the queries, and
runs it a second time (nothing may be queued again). Target: under 60 seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/branch_ops .venv/bin/python bench/bench_reminders.py

Send tasks go to an in-memory broker unless BENCH_BROKER_URL is set, so the benchmark never
leaves tasks in a shared Redis.
"""

import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_ops.settings.test")
os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", "memory://")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

LOANS = int(os.environ.get("BENCH_LOANS", "100000"))
OFFICERS = int(os.environ.get("BENCH_OFFICERS", "200"))
BRANCHES = 20
DAY = dt.date(2026, 11, 20)
BATCH = 10000


def build():
    from accounts.models import Branch, Role, StaffProfile
    from loan_collections.models import Channel, ContactAttempt, Outcome, Party, PromiseToPay
    from loan_collections.services import cases_sync
    from loans.domain import bucket_for, risk_class_floor
    from loans.models import Borrower, Loan, ScheduleLine

    rng = random.Random(42)
    User = get_user_model()
    city = Branch.objects.create(code="4304", name="衡阳市分行")
    branches = Branch.objects.bulk_create(
        [Branch(code=f"4304{i:02d}", name=f"县支行{i}", parent=city) for i in range(BRANCHES)]
    )
    users = User.objects.bulk_create(
        [User(username=f"officer{i}", email=f"officer{i}@bench.example") for i in range(OFFICERS)]
        + [User(username=f"head{i}", email=f"head{i}@bench.example") for i in range(BRANCHES)]
    )
    officers, heads = users[:OFFICERS], users[OFFICERS:]
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user=user,
                employee_no=f"K{i:05d}",
                full_name=f"客户经理{i}",
                branch=branches[i % BRANCHES],
                role=Role.OFFICER,
            )
            for i, user in enumerate(officers)
        ]
        + [
            StaffProfile(
                user=user,
                employee_no=f"H{i:05d}",
                full_name=f"行长{i}",
                branch=branches[i],
                role=Role.BRANCH_HEAD,
            )
            for i, user in enumerate(heads)
        ]
    )
    for start in range(0, LOANS, BATCH):
        borrowers = Borrower.objects.bulk_create(
            [
                Borrower(
                    borrower_type="individual",
                    name=f"借款人{i}",
                    id_number=f"B{i:017d}",
                    phone=f"139{i:08d}",
                    branch=branches[i % OFFICERS % BRANCHES],
                    officer=officers[i % OFFICERS],
                )
                for i in range(start, min(start + BATCH, LOANS))
            ]
        )
        loans = []
        for borrower in borrowers:
            i = int(borrower.id_number[1:])
            dpd = rng.randint(1, 400) if i % 20 == 0 else 0
            loans.append(
                Loan(
                    loan_no=f"JJ{i:010d}",
                    branch_id=borrower.branch_id,
                    borrower=borrower,
                    officer_id=borrower.officer_id,
                    product="consumer",
                    guarantee="credit",
                    disbursed_on=dt.date(2025, 6, 15),
                    matures_on=dt.date(2028, 6, 15),
                    principal=Decimal("100000.00"),
                    balance=Decimal("80000.00"),
                    annual_rate=Decimal("4.3500"),
                    repayment_method="equal_instalment",
                    repayment_day=15 + i % 14,
                    overdue_principal=Decimal("2600.00") if dpd else Decimal("0"),
                    overdue_interest=Decimal("300.00") if dpd else Decimal("0"),
                    days_past_due=dpd,
                    bucket=bucket_for(dpd),
                    risk_class=risk_class_floor(dpd),
                )
            )
        Loan.objects.bulk_create(loans)
        ScheduleLine.objects.bulk_create(
            [
                ScheduleLine(
                    loan=loan,
                    seq=18,
                    due_on=DAY.replace(day=loan.repayment_day),
                    principal_due=Decimal("2600.00"),
                    interest_due=Decimal("300.00"),
                )
                for loan in loans
            ]
        )
    print(cases_sync(as_of=DAY))
    from loan_collections.models import CollectionCase

    contacts, promises = [], []
    cases = list(CollectionCase.objects.all()[: LOANS // 100])
    at = dt.datetime(2026, 11, 18, 11, 0, tzinfo=dt.UTC)
    for case in cases:
        contacts.append(
            ContactAttempt(
                case=case,
                officer_id=case.officer_id,
                contacted_at=at,
                channel=Channel.PHONE,
                party=Party.BORROWER,
                outcome=Outcome.PROMISE,
            )
        )
    ContactAttempt.objects.bulk_create(contacts)
    for case, contact in zip(cases, contacts, strict=True):
        promises.append(
            PromiseToPay(
                contact=contact,
                case=case,
                officer_id=case.officer_id,
                amount=Decimal("2900.00"),
                promised_on=dt.date(2026, 11, 18),
                due_on=dt.date(2026, 11, 27),
            )
        )
    PromiseToPay.objects.bulk_create(promises)


def main():
    from loan_collections.reminders import reminders_send
    from notifications.models import OutgoingEmail

    db = connection.settings_dict
    db["TEST"]["NAME"] = f"{db['NAME']}_bench_reminders"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        build()
        print(f"built {LOANS} loans, {OFFICERS} officers in {time.perf_counter() - started:.1f} s")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = reminders_send(day=DAY)
            elapsed = time.perf_counter() - started
        emails = OutgoingEmail.objects.count()
        print(f"first run: {result} in {elapsed:.2f} s, {len(queries)} queries, {emails} email rows")
        started = time.perf_counter()
        again = reminders_send(day=DAY)
        print(f"second run: {again} in {time.perf_counter() - started:.2f} s")
        biggest = OutgoingEmail.objects.filter(kind="collection_worklist").order_by("-id").first()
        print(f"one worklist: {len(biggest.body_html) // 1024} KiB HTML, subject {biggest.subject!r}")
        print(f"RESULT reminders for {LOANS} loans / {OFFICERS} officers: {elapsed:.2f} s (target < 60 s)")
    finally:
        connection.creation.destroy_test_db(db["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
