import datetime as dt
from decimal import Decimal

import pytest

from loans.factories import LoanFactory, ScheduleLineFactory
from loans.quotes import OverdueItem, arrears_quote, compound_interest, loan_quote, penalty_interest

RATE = Decimal("4.35")
HALF = Decimal("0.5")
ON = dt.date(2026, 5, 31)


def test_worked_example_2600_overdue_30_days_at_4_35_bears_14_14_penalty_interest():
    # 2600 × 4.35 % × 1.5 × 30 / 360 = 14.1375 → 14.14
    items = [OverdueItem(dt.date(2026, 5, 1), Decimal("2600.00"), Decimal("0.00"))]
    assert penalty_interest(items, annual_rate=RATE, premium=HALF, on=ON) == Decimal("14.14")


def test_compound_interest_runs_on_overdue_interest_at_the_penalty_rate():
    # 300 × 4.35 % × 1.5 × 30 / 360 = 1.63125 → 1.63
    items = [OverdueItem(dt.date(2026, 5, 1), Decimal("0.00"), Decimal("300.00"))]
    assert compound_interest(items, annual_rate=RATE, premium=HALF, on=ON) == Decimal("1.63")


def test_each_component_is_rounded_once_after_the_exact_sum():
    # Ten pieces of 0.30 overdue 30 days: 0.00163125 each would round to 0.00 one by one;
    # the exact sum 0.0163125 rounds to 0.02.
    items = [OverdueItem(dt.date(2026, 5, 1), Decimal("0.30"), Decimal("0.00"))] * 10
    assert penalty_interest(items, annual_rate=RATE, premium=HALF, on=ON) == Decimal("0.02")


def test_the_premium_sets_the_penalty_rate():
    items = [OverdueItem(dt.date(2026, 5, 1), Decimal("2600.00"), Decimal("0.00"))]
    # 30 %: 2600 × 4.35 % × 1.3 × 30 / 360 = 12.2525 → 12.25
    assert penalty_interest(items, annual_rate=RATE, premium=Decimal("0.3"), on=ON) == Decimal("12.25")


def test_quote_to_clear_arrears_and_to_settle_the_loan():
    quote = arrears_quote(
        balance=Decimal("50000.00"),
        annual_rate=RATE,
        premium=HALF,
        items=[OverdueItem(dt.date(2026, 5, 1), Decimal("2600.00"), Decimal("300.00"))],
        last_interest_on=dt.date(2026, 5, 1),
        on=ON,
    )
    assert (quote.overdue_principal, quote.overdue_interest, quote.days_past_due) == (
        Decimal("2600.00"),
        Decimal("300.00"),
        30,
    )
    assert (quote.penalty_interest, quote.compound_interest) == (Decimal("14.14"), Decimal("1.63"))
    # 2600 + 300 + 14.14 + 1.63
    assert quote.to_clear == Decimal("2915.77")
    # Accrued on the 47,400 not overdue: 47400 × 4.35 % × 30 / 360 = 171.825 → 171.83
    assert quote.accrued_interest == Decimal("171.83")
    # 50000 + 171.83 + 300 + 14.14 + 1.63
    assert quote.to_settle == Decimal("50487.60")


def test_a_loan_not_behind_has_nothing_to_clear_and_settles_with_accrued_interest():
    quote = arrears_quote(
        balance=Decimal("100000.00"),
        annual_rate=Decimal("3.6"),
        premium=HALF,
        items=[],
        last_interest_on=dt.date(2026, 5, 20),
        on=ON,
    )
    assert quote.to_clear == Decimal("0.00")
    assert quote.accrued_interest == Decimal("110.00")  # 100000 × 3.6 % × 11 / 360
    assert quote.to_settle == Decimal("100110.00")


@pytest.mark.django_db
def test_loan_quote_reads_the_unpaid_part_of_the_instalments_past_due(settings):
    settings.PENALTY_RATE_PREMIUM = "0.5"
    loan = LoanFactory(balance=Decimal("50000.00"), annual_rate=RATE)
    ScheduleLineFactory(
        loan=loan,
        seq=1,
        due_on=dt.date(2026, 4, 1),
        principal_due=Decimal("2600.00"),
        interest_due=Decimal("200.00"),
        principal_paid=Decimal("2600.00"),
        interest_paid=Decimal("200.00"),
        paid_on=dt.date(2026, 4, 1),
    )
    ScheduleLineFactory(
        loan=loan,
        seq=2,
        due_on=dt.date(2026, 5, 1),
        principal_due=Decimal("2600.00"),
        interest_due=Decimal("300.00"),
        principal_paid=Decimal("0.00"),
        interest_paid=Decimal("100.00"),
    )
    ScheduleLineFactory(loan=loan, seq=3, due_on=dt.date(2026, 6, 1))
    quote = loan_quote(loan=loan, on=ON)
    assert (quote.overdue_principal, quote.overdue_interest) == (Decimal("2600.00"), Decimal("200.00"))
    assert quote.penalty_interest == Decimal("14.14")
    assert quote.accrued_from == dt.date(2026, 5, 1)
    settings.PENALTY_RATE_PREMIUM = "0.3"
    assert loan_quote(loan=loan, on=ON).penalty_interest == Decimal("12.25")


@pytest.mark.django_db
def test_a_loan_without_schedule_is_quoted_from_the_core_systems_overdue_figures():
    loan = LoanFactory(
        balance=Decimal("50000.00"),
        overdue_principal=Decimal("2600.00"),
        overdue_interest=Decimal("0.00"),
        days_past_due=20,
        risk_class=2,
        as_of=dt.date(2026, 5, 21),
    )
    quote = loan_quote(loan=loan, on=ON)  # overdue since 2026-05-01: 30 days on 31 May
    assert (quote.days_past_due, quote.penalty_interest) == (30, Decimal("14.14"))
