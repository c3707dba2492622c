import datetime as dt
from decimal import Decimal

import factory

from loan_collections.contact_policy import SHANGHAI
from loan_collections.models import (
    Channel,
    CollectionCase,
    ContactAttempt,
    Outcome,
    Party,
    PromiseToPay,
    Stage,
)
from loans.domain import RiskClass
from loans.factories import BorrowerFactory, LoanFactory


def overdue_loan(*, borrower, days=15, principal=Decimal("2600.00"), interest=Decimal("300.00"), **kwargs):
    """A loan of ``borrower`` that is ``days`` past due (class at its floor)."""
    risk = (
        RiskClass.SPECIAL_MENTION
        if days <= 90
        else RiskClass.SUBSTANDARD
        if days <= 270
        else RiskClass.DOUBTFUL
    )
    if days > 360:
        risk = RiskClass.LOSS
    return LoanFactory(
        borrower=borrower,
        days_past_due=days,
        overdue_principal=principal,
        overdue_interest=interest,
        risk_class=risk,
        **kwargs,
    )


class CollectionCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionCase

    borrower = factory.SubFactory(BorrowerFactory)
    branch = factory.SelfAttribute("borrower.branch")
    officer = factory.SelfAttribute("borrower.officer")
    stage = Stage.REMINDER
    opened_on = dt.date(2026, 11, 1)
    overdue_amount = Decimal("2900.00")
    days_past_due = 15
    bucket = "1-30"


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    case = factory.SubFactory(CollectionCaseFactory)
    officer = factory.SelfAttribute("case.officer")
    contacted_at = dt.datetime(2026, 11, 18, 11, 0, tzinfo=SHANGHAI)
    channel = Channel.PHONE
    party = Party.BORROWER
    outcome = Outcome.PROMISE


class PromiseToPayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromiseToPay

    contact = factory.SubFactory(ContactAttemptFactory)
    case = factory.SelfAttribute("contact.case")
    officer = factory.SelfAttribute("contact.case.officer")
    amount = Decimal("2900.00")
    promised_on = dt.date(2026, 11, 18)
    due_on = dt.date(2026, 11, 20)
