"""Reads of the guarantee graph, scoped to the branches a user may see (two queries)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.access import role_of, scope_queryset, visible_branch_ids
from guarantees.models import ContagionFlag
from guarantees.network import Circle, Network, build_network
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


def borrower_guarantee_view(user, *, borrower: Borrower) -> dict:
    """The borrower's circles, mutual guarantees and chains, and its own exposure."""
    network = guarantee_network_for(user)
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
