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


def test_demo_without_an_overdue_loan_does_nothing(branch_head):
    demo.seed()
    assert not WriteOff.objects.exists()


def test_demo_on_a_young_ledger_first_classifies_the_loans_longest_overdue_as_loss(
    officer, branch, branch_head
):
    """The demo ledger has no loss loan of its own: the officer judges the worst overdue loans
    a loss through the classification service, then the head writes them off."""
    worst = LoanFactory(
        borrower__branch=branch,
        borrower__officer=officer,
        balance=Decimal("8000.00"),
        days_past_due=200,
        bucket=Bucket.D181_270,
        risk_class=RiskClass.SUBSTANDARD,
    )
    current = LoanFactory(borrower__branch=branch, borrower__officer=officer)
    demo.seed()
    worst.refresh_from_db()
    current.refresh_from_db()
    assert (worst.status, worst.risk_class) == (LoanStatus.WRITTEN_OFF, RiskClass.LOSS)
    assert (current.status, current.risk_class) == (LoanStatus.ACTIVE, RiskClass.NORMAL)
    assert worst.classification_changes.get().proposed_by == officer
