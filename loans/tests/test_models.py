from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from loans.domain import RiskClass
from loans.factories import LoanFactory, RepaymentFactory
from loans.models import RepaymentSource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"balance": Decimal("100000.01")},
        {"balance": Decimal("-1")},
        {"principal": Decimal("0"), "balance": Decimal("0")},
        {"matures_on": "2025-06-15"},
        {"annual_rate": Decimal("36")},
        {"repayment_day": 32},
        {"days_past_due": 5, "risk_class": RiskClass.NORMAL},
        {"days_past_due": 91, "risk_class": RiskClass.SPECIAL_MENTION},
        {"days_past_due": 361, "risk_class": RiskClass.DOUBTFUL},
    ],
)
def test_database_refuses_a_loan_that_breaks_an_invariant(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanFactory(**fields)


def test_database_accepts_a_class_worse_than_the_floor():
    loan = LoanFactory(days_past_due=10, risk_class=RiskClass.DOUBTFUL)
    assert loan.pk


def test_the_same_repayment_reference_counts_once_per_source():
    first = RepaymentFactory(reference="LS1")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepaymentFactory(reference="LS1", loan=first.loan)
    RepaymentFactory(reference="LS1", loan=first.loan, source=RepaymentSource.STAFF)


def test_duplicate_loan_numbers_are_refused():
    LoanFactory(loan_no="JJ-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanFactory(loan_no="JJ-1")
