"""Demo facts that make the watchlist show each of its reasons, then the first refresh.

The imported demo ledger is clean: every current loan paid each instalment on its due date,
collateral was appraised at 55-70 % loan-to-value, and the random guarantors are nobody's
borrowers. So this seed adds, on a few current loans chosen by loan number (the same ones on
every run, idempotent):
- three loans with two of their last six instalments paid 5 and 12 days late (within the
  month), and one with a single late instalment, which the rule leaves alone;
- two guarantors who are borrowers with an overdue loan;
- three mortgage loans whose collateral a revaluation found worth 80 % of the balance.
The guarantee-circle flags (guarantees.demo), the restricted-industry borrowers and the open
early-warning signals (screening.demo) are already in the data. Runs last, after the
dashboard's seed has brought the current loans' instalments up to date."""

import datetime as dt
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from core.demo_output import say
from loans.models import (
    Borrower,
    BorrowerType,
    Collateral,
    Guarantee,
    Guarantor,
    Loan,
    LoanStatus,
    Product,
    Repayment,
    ScheduleLine,
)
from watchlist.services import watchlist_refresh

LATE_DAYS = (5, 12)
REVALUED_SHARE = Decimal("0.80")


def _current(**filters):
    return Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due=0, **filters).order_by("loan_no")


def _pay_late(loan: Loan, lines: int, *, today: dt.date) -> bool:
    """Mark ``lines`` of the loan's last six paid instalments paid late (and their repayments)."""
    recent = list(
        ScheduleLine.objects.filter(loan=loan, due_on__lte=today, paid_on__isnull=False).order_by("-due_on")[
            :6
        ]
    )
    if len(recent) < 6 or any(line.paid_on > line.due_on for line in recent):
        return False  # too young for the window, or done by an earlier run
    for line, days in zip(recent[1 : 1 + lines], LATE_DAYS, strict=False):
        paid_on = min(line.due_on + dt.timedelta(days=days), today)
        ScheduleLine.objects.filter(pk=line.pk).update(paid_on=paid_on)
        Repayment.objects.filter(loan=loan, reference=f"DEMO-{loan.loan_no}-{line.seq:03d}").update(
            paid_on=paid_on
        )
    return True


def _late_payers(today: dt.date) -> int:
    """Three loans with two late instalments and one with a single one (a near miss)."""
    if ScheduleLine.objects.filter(paid_on__gt=F("due_on")).exists():
        return 0  # done by an earlier run (the imported ledger has no late payment)
    done, plan = 0, [2, 2, 2, 1]
    for loan in _current(product=Product.CONSUMER, guarantee=Guarantee.CREDIT)[:60]:
        if done == len(plan):
            break
        if _pay_late(loan, plan[done], today=today):
            done += 1
    return done


def _overdue_guarantors() -> int:
    overdue = list(
        Borrower.objects.filter(
            borrower_type=BorrowerType.INDIVIDUAL, loans__status=LoanStatus.ACTIVE, loans__days_past_due__gt=0
        )
        .distinct()
        .order_by("name", "pk")[:2]
    )
    loans = list(_current(guarantee=Guarantee.SURETY)[: len(overdue)])
    for borrower, loan in zip(overdue, loans, strict=False):
        Guarantor.objects.get_or_create(
            loan=loan,
            id_number=borrower.id_number,
            defaults={
                "guarantor_type": BorrowerType.INDIVIDUAL,
                "name": borrower.name,
                "relation": "朋友",
                "phone": borrower.phone,
            },
        )
    return len(loans)


def _revaluations(today: dt.date) -> int:
    """Three mortgage loans whose collateral a revaluation puts at 80 % of the balance."""
    loans = list(_current(guarantee=Guarantee.MORTGAGE, collateral__isnull=False).distinct()[:3])
    for loan in loans:
        items = list(Collateral.objects.filter(loan=loan).order_by("pk"))
        total = sum((item.appraised_value for item in items), Decimal(0))
        if total < loan.balance or not total:
            continue  # revalued by an earlier run
        factor = loan.balance * REVALUED_SHARE / total
        for item in items:
            item.appraised_value = (item.appraised_value * factor).quantize(Decimal("100"))
            item.appraised_on = today
        Collateral.objects.bulk_update(items, ["appraised_value", "appraised_on"])
    return len(loans)


def seed(*, stdout=None) -> None:
    today = timezone.localdate()
    if not Loan.objects.exists():
        say(stdout, "watchlist: no loans; nothing flagged")
        return
    late, guarantors, revalued = _late_payers(today), _overdue_guarantors(), _revaluations(today)
    entries = watchlist_refresh(as_of=today)
    by_reason: dict[str, int] = {}
    for entry in entries:
        for code in entry.reasons:
            by_reason[code] = by_reason.get(code, 0) + 1
    say(
        stdout,
        f"watchlist: {late} late payers, {guarantors} overdue guarantors, {revalued} revaluations; "
        f"{len(entries)} loans on the list {by_reason}",
    )
