import datetime as dt

import pytest
from django.utils import translation

from loans.factories import BorrowerFactory, LoanFactory, ScheduleLineFactory

DAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def monthly_dates(count: int, *, last: dt.date = dt.date(2026, 11, 15)) -> list[dt.date]:
    """``count`` monthly due dates ending on ``last``, oldest first."""
    dates = []
    year, month = last.year, last.month
    for _ in range(count):
        dates.append(dt.date(year, month, last.day))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return dates[::-1]


@pytest.fixture
def paying_loan(branch, officer):
    """A current loan with eight monthly instalments up to 2026-11-15, each paid on its due
    date except those given: ``late={index from the newest (0): days late or None (unpaid)}``."""

    def make(*, late: dict[int, int | None] | None = None, days_past_due: int = 0, **loan_fields):
        borrower = loan_fields.pop("borrower", None) or BorrowerFactory(branch=branch, officer=officer)
        loan = LoanFactory(borrower=borrower, days_past_due=days_past_due, **loan_fields)
        late = late or {}
        dates = monthly_dates(8)
        for seq, due_on in enumerate(dates, start=1):
            back = len(dates) - seq
            delay = late.get(back, 0)
            paid_on = None if delay is None else due_on + dt.timedelta(days=delay)
            ScheduleLineFactory(loan=loan, seq=seq, due_on=due_on, paid_on=paid_on)
        return loan

    return make
