"""Demo guarantee networks: one mutual guarantee (互保) and one three-firm circle (担保圈)
among the demo's corporate borrowers, the circle including an overdue firm when there is
one, then the contagion check. Runs after the ledger and required-action demos; idempotent
(the same firms are chosen each time and a guarantor is recorded once per loan)."""

from django.db.models import Max
from django.utils import timezone

from core.demo_output import say
from guarantees.services import guarantee_contagion_run
from loans.models import Borrower, BorrowerType, Guarantor, LoanStatus


def _firms() -> list[Borrower]:
    """Five corporate borrowers of one branch with active loans, overdue ones first."""
    firms = (
        Borrower.objects.filter(borrower_type=BorrowerType.CORPORATE, loans__status=LoanStatus.ACTIVE)
        .annotate(worst=Max("loans__days_past_due"))
        .order_by("branch_id", "-worst", "name", "pk")
    )
    by_branch: dict[int, list[Borrower]] = {}
    for firm in firms:
        by_branch.setdefault(firm.branch_id, []).append(firm)
    return next((found[:5] for found in by_branch.values() if len(found) >= 5), [])


def _guarantees(guarantor: Borrower, borrower: Borrower) -> None:
    for loan in borrower.loans.filter(status=LoanStatus.ACTIVE):
        Guarantor.objects.get_or_create(
            loan=loan,
            id_number=guarantor.id_number,
            defaults={
                "guarantor_type": BorrowerType.CORPORATE,
                "name": guarantor.name,
                "relation": "互保企业",
                "phone": guarantor.phone,
            },
        )


def seed(*, stdout=None) -> None:
    firms = _firms()
    if len(firms) < 5:
        say(stdout, "guarantees: fewer than five corporate borrowers in one branch; no circle")
        return
    # The circle first: it takes the overdue firm (ordered first), so contagion shows.
    x, y, z, a, b = firms
    for guarantor, borrower in ((x, y), (y, z), (z, x), (a, b), (b, a)):
        _guarantees(guarantor, borrower)
    flags = guarantee_contagion_run(as_of=timezone.localdate())
    say(stdout, f"guarantees: one mutual guarantee, one three-firm circle, {len(flags)} loans flagged")
