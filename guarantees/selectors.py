"""Reads of the guarantee graph, scoped to the branches a user may see (two queries)."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.access import role_of, scope_queryset, visible_branch_ids
from guarantees.models import ContagionFlag
from guarantees.network import Circle, Network, build_network, normalise_key
from loans.models import Borrower, Guarantor, Loan, LoanStatus

_LOAN_FIELDS = (
    "id",
    "balance",
    "overdue_principal",
    "days_past_due",
    "borrower_id",
    "borrower__name",
    "borrower__id_number",
    "officer_id",
)


def guarantee_network(*, branch_ids: Iterable[int] | None = None) -> Network:
    """The graph of the active loans of these branches (None: every branch)."""
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE)
    if branch_ids is not None:
        loans = loans.filter(branch_id__in=list(branch_ids))
    rows = list(loans.order_by("id").values(*_LOAN_FIELDS))
    guarantors = Guarantor.objects.filter(loan_id__in=[row["id"] for row in rows]).values(
        "loan_id", "name", "id_number"
    )
    return build_network(rows, list(guarantors.order_by("id")))


def guarantee_network_for(user) -> Network:
    """The graph of the branches the user may see. A circle crosses officers, so the graph is
    branch-wide for everyone; an officer still opens only their own borrowers' pages, and ID
    numbers go through {% personal %}."""
    return guarantee_network(branch_ids=visible_branch_ids(user) if role_of(user) else ())


# How far the borrower page follows guarantees out from the borrower: each step is two
# queries. A circle longer than this is beyond what the network module looks for anyway
# (network.MAX_CYCLE_LENGTH).
MAX_COMPONENT_STEPS = 12


def _keys(id_numbers: Iterable[str]) -> set[str]:
    return {normalise_key(value) for value in id_numbers if normalise_key(value)}


def guarantee_component(*, branch_ids: Iterable[int] | None, id_number: str) -> Network:
    """The graph of the parties connected to one party (by ID number), found step by step
    from it, not by building the graph of every loan of the branches: the borrower page of a
    city office user reads a few loans, not a million. Each step reads the active loans of
    the parties found so far and the loans they guarantee, then those loans' guarantors."""
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE)
    if branch_ids is not None:
        loans = loans.filter(branch_id__in=list(branch_ids))
    seen, frontier = set(), _keys([id_number])
    rows: dict[int, dict] = {}
    guarantors: dict[int, dict] = {}
    for _step in range(MAX_COMPONENT_STEPS):
        if not frontier:
            break
        seen |= frontier
        variants = sorted(frontier | {key.lower() for key in frontier})
        new_rows = list(
            loans.filter(Q(borrower__id_number__in=variants) | Q(guarantors__id_number__in=variants))
            .exclude(id__in=list(rows))
            .distinct()
            .values(*_LOAN_FIELDS)
        )
        rows.update((row["id"], row) for row in new_rows)
        new_guarantors = list(
            Guarantor.objects.filter(loan_id__in=[row["id"] for row in new_rows]).values(
                "id", "loan_id", "name", "id_number"
            )
        )
        guarantors.update((row["id"], row) for row in new_guarantors)
        found = _keys(row["borrower__id_number"] for row in new_rows) | _keys(
            row["id_number"] for row in new_guarantors
        )
        frontier = found - seen
    ordered_guarantors = [guarantors[pk] for pk in sorted(guarantors)]
    return build_network([rows[pk] for pk in sorted(rows)], ordered_guarantors)


def borrower_guarantee_view(user, *, borrower: Borrower) -> dict:
    """The borrower's circles, mutual guarantees and chains, and its own exposure."""
    network = guarantee_component(
        branch_ids=visible_branch_ids(user) if role_of(user) else (), id_number=borrower.id_number
    )
    party = network.party_of_borrower(borrower.pk)
    if party is None:
        return {"party": None, "circles": [], "chains": []}
    return {
        "party": party,
        "circles": network.circles_of(party.key),
        "chains": network.chains_of(party.key),
    }


def circles_for(user) -> list[Circle]:
    """Every circle and mutual guarantee in the user's branches, largest balance first."""
    return guarantee_network_for(user).circles


def open_flags_visible_to(user) -> QuerySet[ContagionFlag]:
    return scope_queryset(ContagionFlag.objects.filter(cleared_on__isnull=True), user).select_related(
        "loan", "loan__borrower", "verification_action"
    )
