"""Repayment schedules: pure functions, no database.

Four methods (MISSION.md):
- 等额本息 equal instalments: the annuity P·r·(1+r)^n / ((1+r)^n − 1) with r the monthly
  rate (annual / 12); each month's interest is the balance × r, the principal the rest.
- 等额本金 equal principal: P / n each month plus the balance × r.
- 按月付息到期还本 monthly interest, principal at maturity.
- 利随本清 bullet: principal and interest in one payment at maturity, interest on the
  actual days at the daily rate annual / 360 (the PBOC day-count convention for loans).
- 按月结息 / 按季结息 monthly or quarterly interest settlement (corporate loans, e.g.
  流动资金贷款): interest is settled on the 20th of every month, or of every quarter's last
  month (March, June, September, December), the settlement day of 《人民币利率管理规定》
  (银发〔1999〕77号) 第二十条; the settlement period is agreed by the parties under
  银发〔2003〕251号 第二条. Each period's interest is principal × rate × actual days / 360;
  the first period runs from disbursement to the first 20th after it, the last ends at
  maturity with the final interest and the whole principal. The repayment day is not used.
  Check: 1,000,000 at 4.35 % disbursed 2026-01-05, monthly → 1,812.50 on 2026-01-20.

Every amount is rounded to the fen with ROUND_HALF_UP; the last instalment takes the
principal left over, so rounding differences never leave a fen unpaid or overpaid.
Published check: 1,000,000 yuan, 360 months, 4.9 % → 5,307.27 a month (equal instalments),
6,861.11 in the first month (equal principal).

Due dates: the repayment day of each month after disbursement; a day of 29–31 falls back
to the month's last day (31 → 28 February); the last instalment is due on maturity.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

EQUAL_INSTALMENT = "equal_instalment"
EQUAL_PRINCIPAL = "equal_principal"
INTEREST_ONLY = "interest_only"
BULLET = "bullet"
MONTHLY_SETTLEMENT = "monthly_settlement"
QUARTERLY_SETTLEMENT = "quarterly_settlement"
# Interest settled on the 20th of these months, principal at maturity.
SETTLEMENT_MONTHS = {
    MONTHLY_SETTLEMENT: tuple(range(1, 13)),
    QUARTERLY_SETTLEMENT: (3, 6, 9, 12),
}
SETTLEMENT_DAY = 20
METHODS = (EQUAL_INSTALMENT, EQUAL_PRINCIPAL, INTEREST_ONLY, BULLET, MONTHLY_SETTLEMENT, QUARTERLY_SETTLEMENT)


@dataclass(frozen=True)
class Instalment:
    seq: int
    due_on: dt.date
    principal: Decimal
    interest: Decimal

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest


def to_fen(value: Decimal) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def monthly_rate(annual_rate_percent: Decimal) -> Decimal:
    return Decimal(annual_rate_percent) / Decimal(1200)


def day_in_month(year: int, month: int, repayment_day: int) -> dt.date:
    """The repayment day in this month, or the month's last day when it has no such day."""
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(repayment_day, last))


def add_months(day: dt.date, months: int, repayment_day: int | None = None) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day_in_month(year, month + 1, repayment_day or day.day)


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def due_dates(*, start: dt.date, matures_on: dt.date, repayment_day: int) -> list[dt.date]:
    """Monthly due dates after ``start`` up to and including maturity (at least one)."""
    months = months_between(start, matures_on)
    dates = [add_months(start, k, repayment_day) for k in range(1, months)]
    dates = [day for day in dates if start < day < matures_on]
    dates.append(matures_on)
    return dates


def settlement_dates(*, start: dt.date, matures_on: dt.date, months: tuple[int, ...]) -> list[dt.date]:
    """The 20ths of ``months`` after ``start`` and before maturity, then maturity itself."""
    dates = []
    year, month = start.year, start.month
    while (year, month) <= (matures_on.year, matures_on.month):
        day = dt.date(year, month, SETTLEMENT_DAY)
        if month in months and start < day < matures_on:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    dates.append(matures_on)
    return dates


def actual_days_interest(principal: Decimal, annual_rate_percent: Decimal, days: int) -> Decimal:
    """principal × rate × actual days / 360, to the fen (ROUND_HALF_UP)."""
    return to_fen(Decimal(principal) * Decimal(annual_rate_percent) / Decimal(36000) * max(days, 0))


def settlement_schedule(
    *,
    principal: Decimal,
    annual_rate: Decimal,
    method: str,
    start: dt.date,
    matures_on: dt.date,
    first_seq: int,
) -> list[Instalment]:
    """按月结息 / 按季结息: interest for each period on its 20th, principal at maturity."""
    dates = settlement_dates(start=start, matures_on=matures_on, months=SETTLEMENT_MONTHS[method])
    lines, previous = [], start
    for index, due_on in enumerate(dates):
        last = index == len(dates) - 1
        interest = actual_days_interest(principal, annual_rate, (due_on - previous).days)
        lines.append(Instalment(first_seq + index, due_on, principal if last else ZERO, interest))
        previous = due_on
    return lines


def equal_instalment_payment(principal: Decimal, annual_rate_percent: Decimal, months: int) -> Decimal:
    """The monthly payment of an equal-instalment (等额本息) loan, to the fen."""
    rate = monthly_rate(annual_rate_percent)
    if months <= 0:
        raise ValueError("months must be positive")
    if rate == 0:
        return to_fen(Decimal(principal) / months)
    growth = (1 + rate) ** months
    return to_fen(Decimal(principal) * rate * growth / (growth - 1))


def build_schedule(
    *,
    principal: Decimal,
    annual_rate: Decimal,
    method: str,
    start: dt.date,
    matures_on: dt.date,
    repayment_day: int,
    first_seq: int = 1,
) -> list[Instalment]:
    """The instalments that repay ``principal`` from ``start`` (disbursement, or the last
    instalment kept when the unpaid part is regenerated) to maturity."""
    principal = to_fen(principal)
    if method not in METHODS:
        raise ValueError(f"unknown repayment method {method!r}")
    if principal <= 0:
        return []
    if method == BULLET:
        interest = actual_days_interest(principal, annual_rate, (matures_on - start).days)
        return [Instalment(first_seq, matures_on, principal, interest)]
    if method in SETTLEMENT_MONTHS:
        return settlement_schedule(
            principal=principal,
            annual_rate=annual_rate,
            method=method,
            start=start,
            matures_on=matures_on,
            first_seq=first_seq,
        )

    dates = due_dates(start=start, matures_on=matures_on, repayment_day=repayment_day)
    count = len(dates)
    rate = monthly_rate(annual_rate)
    payment = equal_instalment_payment(principal, annual_rate, count) if method == EQUAL_INSTALMENT else None
    equal_part = to_fen(principal / count)
    remaining = principal
    lines = []
    for index, due_on in enumerate(dates):
        interest = to_fen(remaining * rate)
        last = index == count - 1
        if last:
            part = remaining
        elif method == EQUAL_INSTALMENT:
            part = min(payment - interest, remaining)
        elif method == EQUAL_PRINCIPAL:
            part = min(equal_part, remaining)
        else:  # INTEREST_ONLY
            part = ZERO
        part = max(part, ZERO)
        lines.append(Instalment(first_seq + index, due_on, part, interest))
        remaining -= part
    return lines
