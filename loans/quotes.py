"""Arrears quote (欠款试算) for the collection call: "to clear the arrears today you pay X;
to settle the loan you pay Y". An estimate: core banking computes the figures that count.

Sources:
- 罚息: 《人民币利率管理规定》(银发〔1999〕77号) 第二十五条 — an overdue loan bears penalty
  interest (罚息) from the day it falls overdue until it is repaid; interest that is not paid
  when due bears compound interest (复利) at the penalty rate.
- The penalty rate: 《中国人民银行关于人民币贷款利率有关问题的通知》(银发〔2003〕251号) 第三条 —
  the contract rate plus 30 %–50 %; the premium is ``settings.PENALTY_RATE_PREMIUM``
  (default 0.5, i.e. 50 %).
- Day count: actual days, daily rate = annual rate / 360 (the PBOC convention for loans,
  《人民币利率管理规定》, as in loans.schedules).

Formulas (rate in percent a year, days actual):
- penalty rate       = contract rate × (1 + premium)
- 罚息 penalty       = Σ overdue principal of each instalment × penalty rate × days overdue / 360
- 复利 compound      = Σ overdue interest of each instalment × penalty rate × days overdue / 360
- 应计利息 accrued   = principal not yet overdue × contract rate × days since the last
                        interest date / 360
- to clear arrears   = overdue principal + overdue interest + 罚息 + 复利
- to settle the loan = outstanding balance + accrued interest + overdue interest + 罚息 + 复利

Rounding: each component is summed exactly over the instalments and only then rounded to
the fen with ROUND_HALF_UP; the totals add the rounded components. Days overdue run from an
instalment's due date to the quote date, for what of it is still unpaid on the quote date
(a partial payment made late is not split into periods: core banking does that).

Worked example: 2,600 yuan overdue for 30 days at 4.35 % with a 50 % premium →
2600 × 4.35 % × 1.5 × 30 / 360 = 14.1375 → 14.14 yuan 罚息.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from loans.models import Loan
from loans.schedules import ZERO, to_fen

DAYS_IN_YEAR = Decimal(360)


@dataclass(frozen=True)
class OverdueItem:
    """What is still unpaid of one instalment that fell due before the quote date."""

    due_on: dt.date
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class Quote:
    on: dt.date
    annual_rate: Decimal  # percent a year
    penalty_rate: Decimal  # percent a year
    premium: Decimal  # 0.5 = 50 %
    balance: Decimal
    overdue_principal: Decimal
    overdue_interest: Decimal
    days_past_due: int
    penalty_interest: Decimal  # 罚息
    compound_interest: Decimal  # 复利
    accrued_from: dt.date
    accrued_days: int
    accrued_interest: Decimal  # 应计利息 on the principal not yet overdue

    @property
    def to_clear(self) -> Decimal:
        """What clears the arrears today."""
        return self.overdue_principal + self.overdue_interest + self.penalty_interest + self.compound_interest

    @property
    def to_settle(self) -> Decimal:
        """What settles the whole loan today."""
        return (
            self.balance
            + self.accrued_interest
            + self.overdue_interest
            + self.penalty_interest
            + self.compound_interest
        )


def penalty_rate(annual_rate: Decimal, premium: Decimal) -> Decimal:
    """The penalty rate (罚息利率), percent a year: the contract rate plus the premium."""
    return Decimal(annual_rate) * (1 + Decimal(premium))


def _days_interest(amount: Decimal, rate_percent: Decimal, days: int) -> Decimal:
    """Unrounded: amount × rate × actual days / 360."""
    return Decimal(amount) * Decimal(rate_percent) / 100 * max(days, 0) / DAYS_IN_YEAR


def penalty_interest(
    items: Iterable[OverdueItem], *, annual_rate: Decimal, premium: Decimal, on: dt.date
) -> Decimal:
    """罚息 on the overdue principal, to the fen (ROUND_HALF_UP after the exact sum)."""
    rate = penalty_rate(annual_rate, premium)
    return to_fen(
        sum((_days_interest(item.principal, rate, (on - item.due_on).days) for item in items), ZERO)
    )


def compound_interest(
    items: Iterable[OverdueItem], *, annual_rate: Decimal, premium: Decimal, on: dt.date
) -> Decimal:
    """复利 on the overdue interest at the penalty rate, to the fen (ROUND_HALF_UP)."""
    rate = penalty_rate(annual_rate, premium)
    return to_fen(sum((_days_interest(item.interest, rate, (on - item.due_on).days) for item in items), ZERO))


def arrears_quote(
    *,
    balance: Decimal,
    annual_rate: Decimal,
    premium: Decimal,
    items: list[OverdueItem],
    last_interest_on: dt.date,
    on: dt.date,
) -> Quote:
    """The quote from plain values: the loan's balance and rate, the unpaid part of each
    instalment due before ``on``, and the date interest was last charged up to."""
    items = [item for item in items if item.due_on < on and (item.principal > 0 or item.interest > 0)]
    overdue_principal = min(sum((item.principal for item in items), ZERO), Decimal(balance))
    accrued_days = max((on - last_interest_on).days, 0)
    return Quote(
        on=on,
        annual_rate=Decimal(annual_rate),
        penalty_rate=penalty_rate(annual_rate, premium).normalize(),
        premium=Decimal(premium),
        balance=Decimal(balance),
        overdue_principal=overdue_principal,
        overdue_interest=sum((item.interest for item in items), ZERO),
        days_past_due=max(((on - item.due_on).days for item in items), default=0),
        penalty_interest=penalty_interest(items, annual_rate=annual_rate, premium=premium, on=on),
        compound_interest=compound_interest(items, annual_rate=annual_rate, premium=premium, on=on),
        accrued_from=last_interest_on,
        accrued_days=accrued_days,
        accrued_interest=to_fen(
            _days_interest(Decimal(balance) - overdue_principal, annual_rate, accrued_days)
        ),
    )


def penalty_premium() -> Decimal:
    """The premium over the contract rate (settings.PENALTY_RATE_PREMIUM, 0.5 = 50 %)."""
    return Decimal(str(settings.PENALTY_RATE_PREMIUM))


def loan_quote(*, loan: Loan, on: dt.date) -> Quote:
    """The quote of one loan on ``on``, from its schedule (whose lines carry the repayments
    recorded against them); uses the prefetched schedule when there is one. The caller has
    checked the user may see the loan."""
    lines = list(loan.schedule.all())
    items = [
        OverdueItem(
            line.due_on, line.principal_due - line.principal_paid, line.interest_due - line.interest_paid
        )
        for line in lines
        if line.due_on < on and line.paid_on is None
    ]
    if not lines and (loan.overdue_principal or loan.overdue_interest):
        # No schedule yet: the core system's overdue figures, overdue since the date its
        # days past due count from (the figures' date, else the quote date).
        since = (loan.as_of or on) - dt.timedelta(days=loan.days_past_due)
        items = [OverdueItem(since, loan.overdue_principal, loan.overdue_interest)]
    last_due = max((line.due_on for line in lines if line.due_on <= on), default=None)
    return arrears_quote(
        balance=loan.balance,
        annual_rate=loan.annual_rate,
        premium=penalty_premium(),
        items=items,
        last_interest_on=last_due or loan.disbursed_on,
        on=on,
    )
