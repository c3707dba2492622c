import datetime as dt
from decimal import Decimal

import pytest

from accounts import demo as accounts_demo
from accounts.models import Branch
from loans import demo
from loans.domain import NON_PERFORMING_CLASSES
from loans.factories import BorrowerFactory, LoanFactory
from loans.models import ChangeStatus, ClassificationChange, Collateral, Guarantor, Loan, Repayment

pytestmark = pytest.mark.django_db


def test_seed_without_loans_does_nothing():
    demo.seed()
    assert not Repayment.objects.exists()


def demo_ledger():
    """A stand-in for the ledger import's demo: a few loans with imported figures."""
    accounts_demo.seed()  # the demo staff only: the real demo ledger is 1,200 loans
    branch = Branch.objects.get(code="430424")
    from django.contrib.auth import get_user_model

    officers = list(get_user_model().objects.filter(username__startswith="officer").order_by("username"))
    today = dt.date.today()
    loans = []
    for index in range(6):
        officer = officers[index % len(officers)]
        loans.append(
            LoanFactory(
                borrower=BorrowerFactory(branch=branch, officer=officer),
                product=["housing", "consumer", "personal_business"][index % 3],
                guarantee=["mortgage", "surety", "credit"][index % 3],
                disbursed_on=today - dt.timedelta(days=500),
                matures_on=today + dt.timedelta(days=3000),
                principal=Decimal("300000.00"),
                balance=Decimal("280000.00"),
                days_past_due=20 if index == 5 else 0,
                bucket="1-30" if index == 5 else "current",
                risk_class=2 if index == 5 else 1,
                as_of=today,
            )
        )
    return loans


def test_seed_adds_schedules_history_collateral_guarantors_and_a_pending_upgrade():
    loans = demo_ledger()
    balances = {loan.pk: loan.balance for loan in loans}
    demo.seed()
    for loan in Loan.objects.all():
        assert loan.balance == balances[loan.pk]
        assert loan.schedule.exists()
    assert Repayment.objects.filter(source="import").count() >= 6 * 11
    assert Collateral.objects.count() == 2
    assert Guarantor.objects.count() == 2
    assert ClassificationChange.objects.filter(status=ChangeStatus.PENDING).count() == 1
    assert not Loan.objects.filter(risk_class__in=NON_PERFORMING_CLASSES).exists()
    counts = (Repayment.objects.count(), Collateral.objects.count(), ClassificationChange.objects.count())
    demo.seed()
    assert (
        Repayment.objects.count(),
        Collateral.objects.count(),
        ClassificationChange.objects.count(),
    ) == counts


def test_demo_repayment_history_matches_the_paid_instalments():
    demo_ledger()
    demo.seed()
    repayment = Repayment.objects.order_by("paid_on").first()
    seq = int(repayment.reference.rsplit("-", 1)[1])
    line = repayment.loan.schedule.get(seq=seq)
    assert (line.principal_paid, line.interest_paid) == (repayment.principal, repayment.interest)
