"""Pure date rules of the required actions, with no database access."""

import calendar
import datetime as dt

from post_loan.models import Trigger

# The daily job creates actions due from LOOKBACK_DAYS ago (a missed run catches up) to
# HORIZON_DAYS ahead (officers see the coming month in their worklist and digest).
LOOKBACK_DAYS = 30
HORIZON_DAYS = 31


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the 31st becomes the month's last day if shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def periodic_dates(anchor: dt.date, interval: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """``anchor + k * interval`` months (k >= 1) falling within [start, end]."""
    if interval <= 0 or end < start:
        return []
    k = max(1, months_between(anchor, start) // interval)
    found = []
    while True:
        day = add_months(anchor, k * interval)
        if day > end:
            return found
        if day >= start:
            found.append(day)
        k += 1


def scheduled_dates(
    *,
    trigger: str,
    offset_days: int,
    interval_months: int | None,
    disbursed_on: dt.date,
    matures_on: dt.date,
    appraised_on: dt.date | None,
    start: dt.date,
    end: dt.date,
) -> list[dt.date]:
    """Due dates of a scheduled template for one loan within the window [start, end].

    Nothing is due after the loan matures except the maturity reminder itself, and nothing
    before it was disbursed.
    """
    start = max(start, disbursed_on)
    if trigger == Trigger.AFTER_DISBURSEMENT:
        days = [disbursed_on + dt.timedelta(days=offset_days)]
    elif trigger == Trigger.BEFORE_MATURITY:
        days = [matures_on - dt.timedelta(days=offset_days)]
    elif trigger == Trigger.PERIODIC:
        days = periodic_dates(disbursed_on, interval_months or 0, start, min(end, matures_on))
    elif trigger == Trigger.COLLATERAL_REAPPRAISAL:
        if appraised_on is None:
            return []
        days = periodic_dates(appraised_on, interval_months or 0, start, min(end, matures_on))
    else:
        return []
    return [day for day in days if start <= day <= end and disbursed_on <= day <= matures_on]


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week of ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])
