"""The rule examples of the 2023 classification measures, arts. 19-21 (loans.domain)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from loans import schedules
from loans.domain import (
    RiskClass,
    class_floor,
    first_missed_due_date,
    observation_exit_missing,
    observation_window,
    restructuring_floor,
)


@pytest.mark.parametrize("before", [RiskClass.NORMAL, RiskClass.SPECIAL_MENTION])
def test_a_performing_loan_is_at_least_special_mention_after_restructuring(before):
    assert restructuring_floor(class_before=before, again_in_observation=False) == RiskClass.SPECIAL_MENTION


@pytest.mark.parametrize("before", [RiskClass.SUBSTANDARD, RiskClass.DOUBTFUL, RiskClass.LOSS])
def test_a_non_performing_loan_keeps_its_class_during_observation(before):
    assert restructuring_floor(class_before=before, again_in_observation=False) == before


def test_restructured_again_within_observation_is_at_least_substandard():
    assert restructuring_floor(class_before=RiskClass.SPECIAL_MENTION, again_in_observation=True) == 3
    assert restructuring_floor(class_before=RiskClass.DOUBTFUL, again_in_observation=True) == 4


def test_the_class_floor_is_the_worse_of_days_past_due_and_restructuring():
    assert class_floor(0) == RiskClass.NORMAL
    assert class_floor(0, RiskClass.SPECIAL_MENTION) == RiskClass.SPECIAL_MENTION
    assert class_floor(100, RiskClass.SPECIAL_MENTION) == RiskClass.SUBSTANDARD
    assert class_floor(10, RiskClass.DOUBTFUL) == RiskClass.DOUBTFUL


def test_observation_of_a_monthly_loan_starts_at_the_next_due_date_and_lasts_a_year():
    dates = schedules.due_dates(start=dt.date(2025, 6, 15), matures_on=dt.date(2030, 6, 15), repayment_day=15)
    assert observation_window(due_dates=dates, after=dt.date(2026, 3, 1)) == (
        dt.date(2026, 3, 15),
        dt.date(2027, 3, 15),
    )


def test_observation_of_quarterly_settlement_lasts_a_year_from_the_next_20th():
    dates = schedules.settlement_dates(
        start=dt.date(2025, 1, 5), matures_on=dt.date(2029, 1, 5), months=(3, 6, 9, 12)
    )
    assert observation_window(due_dates=dates, after=dt.date(2026, 4, 1)) == (
        dt.date(2026, 6, 20),
        dt.date(2027, 6, 20),
    )


def test_observation_covers_two_full_repayment_periods_when_they_last_longer_than_a_year():
    yearly = [dt.date(2026, 6, 30), dt.date(2027, 6, 30), dt.date(2028, 6, 30), dt.date(2029, 6, 30)]
    assert observation_window(due_dates=yearly, after=dt.date(2026, 1, 1)) == (
        dt.date(2026, 6, 30),
        dt.date(2028, 6, 30),
    )


def test_a_restart_from_a_missed_date_starts_on_that_date():
    dates = schedules.due_dates(start=dt.date(2025, 6, 15), matures_on=dt.date(2030, 6, 15), repayment_day=15)
    start, end = observation_window(due_dates=dates, after=dt.date(2026, 5, 15), inclusive=True)
    assert (start, end) == (dt.date(2026, 5, 15), dt.date(2027, 5, 15))


def _line(due_on, paid_on, principal_paid="100", interest_paid="10"):
    return SimpleNamespace(
        due_on=due_on,
        paid_on=paid_on,
        principal_due=Decimal("100"),
        interest_due=Decimal("10"),
        principal_paid=Decimal(principal_paid),
        interest_paid=Decimal(interest_paid),
    )


def test_the_first_instalment_not_paid_in_full_and_on_time_is_the_missed_date():
    lines = [
        _line(dt.date(2026, 3, 15), dt.date(2026, 3, 15)),
        _line(dt.date(2026, 4, 15), dt.date(2026, 4, 18)),  # late
        _line(dt.date(2026, 5, 15), None, "0", "0"),
    ]
    assert first_missed_due_date(lines, since=dt.date(2026, 3, 15), as_of=dt.date(2026, 6, 1)) == dt.date(
        2026, 4, 15
    )
    partial = [_line(dt.date(2026, 3, 15), dt.date(2026, 3, 15), "50")]
    assert first_missed_due_date(partial, since=dt.date(2026, 3, 1), as_of=dt.date(2026, 6, 1)) == dt.date(
        2026, 3, 15
    )
    assert first_missed_due_date(lines[:1], since=dt.date(2026, 3, 15), as_of=dt.date(2026, 6, 1)) is None


def test_leaving_needs_the_period_over_nothing_overdue_and_the_difficulty_resolved():
    ends = dt.date(2027, 3, 15)
    assert observation_exit_missing(ends_on=ends, as_of=ends, days_past_due=0, difficulty_resolved=True) == []
    assert (
        len(
            observation_exit_missing(
                ends_on=ends, as_of=dt.date(2027, 3, 14), days_past_due=3, difficulty_resolved=False
            )
        )
        == 3
    )
