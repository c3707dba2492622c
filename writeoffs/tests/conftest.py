from decimal import Decimal

import pytest
from django.utils import translation

from accounts.factories import StaffProfileFactory
from accounts.models import Role
from loans.domain import Bucket, RiskClass
from loans.factories import LoanFactory


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def second_head(branch):
    """Another branch head of the same branch (to decide a head's own proposal)."""
    return StaffProfileFactory(branch=branch, role=Role.BRANCH_HEAD).user


@pytest.fixture
def loss_loan(branch, officer):
    """An active loss-class loan of ``officer``: 80,000.00 balance, 2,000.00 overdue interest."""
    return LoanFactory(
        borrower__branch=branch,
        borrower__officer=officer,
        balance=Decimal("80000.00"),
        overdue_principal=Decimal("30000.00"),
        overdue_interest=Decimal("2000.00"),
        days_past_due=400,
        bucket=Bucket.OVER_360,
        risk_class=RiskClass.LOSS,
    )
