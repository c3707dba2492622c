"""Benchmark: generate required actions for N loans (default 100,000) twice and time it.

Usage (on a scratch database; it adds a branch BENCH with N borrowers and loans, and
deletes them afterwards):

    DATABASE_URL=postgres://.../scratch .venv/bin/python bench/bench_required_actions.py 100000
"""

import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_ops.settings.local")
from core.local_services import prepare_local_services  # noqa: E402

prepare_local_services()  # the embedded PostgreSQL when DATABASE_URL is unset
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from accounts.factories import make_staff  # noqa: E402
from accounts.models import Branch, Role  # noqa: E402
from loans.models import Borrower, BorrowerType, Collateral, Guarantee, Loan, Product, RepaymentMethod  # noqa: E402
from post_loan.models import LoanClassSnapshot, RequiredAction  # noqa: E402
from post_loan.services import action_templates_seed, required_actions_generate  # noqa: E402


def main(count: int) -> None:
    random.seed(4)
    action_templates_seed()
    branch, _ = Branch.objects.get_or_create(code="BENCH", defaults={"name": "压测支行"})
    User = get_user_model()
    officers = [
        User.objects.filter(username=f"bench{i}").first()
        or make_staff(role=Role.OFFICER, branch=branch, username=f"bench{i}")
        for i in range(10)
    ]
    today = dt.date(2026, 11, 20)
    t0 = time.perf_counter()
    borrowers = []
    for n in range(count):
        corporate = n % 5 == 0
        borrowers.append(
            Borrower(
                borrower_type=BorrowerType.CORPORATE if corporate else BorrowerType.INDIVIDUAL,
                name=f"压测借款人{n}",
                id_number=f"B{n:017d}",
                branch=branch,
                officer=officers[n % 10],
            )
        )
    Borrower.objects.bulk_create(borrowers, batch_size=5000)
    loans = []
    for n, borrower in enumerate(borrowers):
        disbursed = today - dt.timedelta(days=random.randint(1, 1500))
        loans.append(
            Loan(
                loan_no=f"BENCH{n:010d}",
                branch=branch,
                borrower=borrower,
                officer=borrower.officer,
                product=Product.WORKING_CAPITAL if n % 5 == 0 else Product.HOUSING,
                guarantee=Guarantee.MORTGAGE if n % 2 else Guarantee.CREDIT,
                disbursed_on=disbursed,
                matures_on=disbursed + dt.timedelta(days=random.randint(400, 3650)),
                principal=Decimal("100000.00"),
                balance=Decimal("50000.00"),
                annual_rate=Decimal("4.35"),
                repayment_method=RepaymentMethod.EQUAL_INSTALMENT,
                repayment_day=15,
            )
        )
    Loan.objects.bulk_create(loans, batch_size=5000)
    Collateral.objects.bulk_create(
        [
            Collateral(
                loan=loan,
                kind="house",
                description="住宅",
                appraised_value=Decimal("300000"),
                appraised_on=loan.disbursed_on,
            )
            for loan in loans[1::2]
        ],
        batch_size=5000,
    )
    print(f"setup: {count} loans in {time.perf_counter() - t0:.1f}s")
    try:
        for run in (1, 2):
            t = time.perf_counter()
            created = required_actions_generate(as_of=today, earliest=today - dt.timedelta(days=30))
            print(f"generate run {run}: {created} actions created in {time.perf_counter() - t:.1f}s")
    finally:
        RequiredAction.objects.filter(branch=branch).delete()
        LoanClassSnapshot.objects.filter(loan__branch=branch).delete()
        Collateral.objects.filter(loan__branch=branch).delete()
        Loan.objects.filter(branch=branch).delete()
        Borrower.objects.filter(branch=branch).delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
