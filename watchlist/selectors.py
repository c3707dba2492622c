"""Reads of the watchlist, scoped like every list: an officer sees their own loans, a branch
head or compliance their branch (and below), an administrator every branch."""

from django.db.models import Count, Q, QuerySet, Sum

from accounts.access import scope_queryset
from watchlist.models import Reason, WatchlistEntry


def open_entries(*, branch_ids=None, officer_id: int | None = None) -> QuerySet[WatchlistEntry]:
    entries = WatchlistEntry.objects.filter(cleared_on__isnull=True)
    if branch_ids is not None:
        entries = entries.filter(branch_id__in=list(branch_ids))
    if officer_id is not None:
        entries = entries.filter(officer_id=officer_id)
    return entries


def entries_visible_to(user, *, reason: str | None = None) -> QuerySet[WatchlistEntry]:
    """The open entries the user may see, optionally those flagged for one reason, with what
    a row of the list shows (one query)."""
    entries = scope_queryset(open_entries(), user)
    if reason:
        entries = entries.filter(reasons__contains=[reason])
    return entries.select_related("loan", "loan__borrower", "verification_action").order_by(
        "-first_flagged_on", "loan__loan_no"
    )


def counts_by_reason(entries: QuerySet[WatchlistEntry]) -> dict:
    """Loans and balance in total and per reason, in the rules' order (one query)."""
    aggregates = {"total": Count("id"), "total_balance": Sum("loan__balance")}
    for code in Reason.values:
        flagged = Q(reasons__contains=[code])
        aggregates[f"{code}__count"] = Count("id", filter=flagged)
        aggregates[f"{code}__balance"] = Sum("loan__balance", filter=flagged)
    figures = entries.order_by().aggregate(**aggregates)
    return {
        "total": figures["total"],
        "total_balance": figures["total_balance"] or 0,
        "reasons": [
            {
                "code": code,
                "label": label,
                "count": figures[f"{code}__count"],
                "balance": figures[f"{code}__balance"] or 0,
            }
            for code, label in Reason.choices
        ],
    }
