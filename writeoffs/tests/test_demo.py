from decimal import Decimal

import pytest

from loans.domain import Bucket, RiskClass
from loans.factories import LoanFactory
from loans.models import Loan, LoanStatus
from writeoffs import demo
from writeoffs.models import Recovery, WriteOff, WriteOffStatus

pytestmark = pytest.mark.django_db


def test_demo_writes_off_two_loss_loans_with_one_recovery_idempotently(
    loss_loan, officer, branch, branch_head
):
    LoanFactory(
        borrower__branch=branch,
        borrower__officer=officer,
        balance=Decimal("9000.00"),
        days_past_due=500,
        bucket=Bucket.OVER_360,
        risk_class=RiskClass.LOSS,
    )
    demo.seed()
    assert WriteOff.objects.filter(status=WriteOffStatus.APPROVED).count() == 2
    assert Loan.objects.filter(status=LoanStatus.WRITTEN_OFF).count() == 2
    assert Recovery.objects.count() == 1
    demo.seed()
    assert (WriteOff.objects.count(), Recovery.objects.count()) == (2, 1)


def test_demo_without_a_loss_loan_does_nothing(branch_head):
    demo.seed()
    assert not WriteOff.objects.exists()
