import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from loans.factories import BorrowerFactory, GuarantorFactory, LoanFactory
from loans.models import BorrowerType, Guarantee

DAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def firm(branch, officer):
    """A corporate borrower with one active guaranteed loan of ``balance``."""

    def make(name: str, *, balance: str = "500000.00", days_past_due: int = 0, owner=None):
        borrower = BorrowerFactory(
            name=name, borrower_type=BorrowerType.CORPORATE, branch=branch, officer=owner or officer
        )
        LoanFactory(
            borrower=borrower,
            guarantee=Guarantee.SURETY,
            principal=Decimal("1000000.00"),
            balance=Decimal(balance),
            overdue_principal=Decimal("10000.00") if days_past_due else Decimal("0"),
            days_past_due=days_past_due,
            risk_class=2 if days_past_due else 1,
        )
        return borrower

    return make


def guarantees(guarantor, borrower):
    """``guarantor`` (a borrower too, matched by its credit code) guarantees ``borrower``'s loans."""
    for loan in borrower.loans.all():
        GuarantorFactory(
            loan=loan,
            guarantor_type=BorrowerType.CORPORATE,
            name=guarantor.name,
            id_number=guarantor.id_number.lower(),  # matched whatever the case
        )
