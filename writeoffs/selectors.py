"""Reads of write-offs and recoveries, scoped like the loans they belong to (an officer sees
the write-offs of their own loans; heads their branch and the branches below)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.access import role_of, scope_queryset, visible_branch_ids
from writeoffs.models import Recovery, WriteOff, WriteOffStatus

ZERO = Decimal("0.00")
_MONEY_OUT = DecimalField(max_digits=16, decimal_places=2)


def _recovered_subquery():
    return Coalesce(
        Subquery(
            Recovery.objects.filter(write_off=OuterRef("pk"))
            .values("write_off")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=_MONEY_OUT,
        ),
        Value(ZERO),
        output_field=_MONEY_OUT,
    )


def write_offs_visible_to(user) -> QuerySet[WriteOff]:
    """Every write-off (any status) of a loan the user may see, with ``recovered`` and
    ``outstanding`` (written off, not yet recovered: still pursued)."""
    return (
        scope_queryset(
            WriteOff.objects.all(), user, branch_field="loan__branch", officer_field="loan__officer"
        )
        .select_related(
            "loan", "loan__borrower", "loan__branch", "proposed_by__profile", "decided_by__profile"
        )
        .annotate(recovered=_recovered_subquery())
        .annotate(outstanding=ExpressionWrapper(F("total") - F("recovered"), output_field=_MONEY_OUT))
    )


def write_offs_pending_for(user) -> QuerySet[WriteOff]:
    """Proposals waiting for a decision, in the branches the user sees, oldest first."""
    return write_offs_visible_to(user).filter(status=WriteOffStatus.PROPOSED).order_by("proposed_at")


def write_off_register(user, *, status: str = "") -> QuerySet[WriteOff]:
    """The register (核销台账): approved write-offs, newest first; or one status."""
    rows = write_offs_visible_to(user)
    rows = (
        rows.filter(status=status)
        if status in WriteOffStatus.values
        else rows.filter(status=WriteOffStatus.APPROVED)
    )
    return rows.order_by("-written_off_on", "-proposed_at")


@dataclass(frozen=True)
class WriteOffTotals:
    count: int
    written_off: Decimal
    recovered: Decimal

    @property
    def net(self) -> Decimal:
        """Still owed on the written-off loans: what the branch keeps pursuing."""
        return self.written_off - self.recovered


def write_off_totals(write_offs: QuerySet[WriteOff]) -> WriteOffTotals:
    """Totals of approved write-offs in ``write_offs`` (two queries)."""
    approved = write_offs.filter(status=WriteOffStatus.APPROVED)
    figures = approved.aggregate(written=Sum("total"), count=Count("pk"))
    recovered = Recovery.objects.filter(write_off__in=approved.values("pk")).aggregate(total=Sum("amount"))
    return WriteOffTotals(
        count=figures["count"] or 0,
        written_off=figures["written"] or ZERO,
        recovered=recovered["total"] or ZERO,
    )


def write_off_figures(*, branch_ids, officer_id: int | None, as_of: dt.date) -> dict:
    """The dashboard's figures up to ``as_of``: written off this year and in all, recovered
    this year and in all, and the number of loans written off (two queries)."""
    approved = WriteOff.objects.filter(
        status=WriteOffStatus.APPROVED, loan__branch_id__in=list(branch_ids), written_off_on__lte=as_of
    )
    if officer_id is not None:
        approved = approved.filter(loan__officer_id=officer_id)
    year_start = as_of.replace(month=1, day=1)
    written = approved.aggregate(
        in_all=Sum("total"),
        year=Sum("total", filter=Q(written_off_on__gte=year_start)),
        count=Count("pk"),
    )
    recoveries = Recovery.objects.filter(write_off__in=approved.values("pk"), recovered_on__lte=as_of)
    recovered = recoveries.aggregate(
        total=Sum("amount"), year=Sum("amount", filter=Q(recovered_on__gte=year_start))
    )
    written_total = written["in_all"] or ZERO
    recovered_total = recovered["total"] or ZERO
    return {
        "count": written["count"] or 0,
        "written_off": written_total,
        "written_off_year": written["year"] or ZERO,
        "recovered": recovered_total,
        "recovered_year": recovered["year"] or ZERO,
        "net": written_total - recovered_total,
    }


def write_off_for_detail(user, *, pk: int) -> WriteOff:
    """One write-off the user may see (DoesNotExist otherwise: the view answers 404)."""
    return write_offs_visible_to(user).get(pk=pk)


def recoveries_of(write_off: WriteOff) -> QuerySet[Recovery]:
    return write_off.recoveries.select_related("recorded_by__profile").order_by("recovered_on", "pk")


def borrower_write_offs(user, *, borrower_id: int) -> list[WriteOff]:
    """The approved write-offs of a borrower's loans with their recoveries (the collection
    case page shows them: 账销案存, the case stays open). Empty for a user without a role."""
    if role_of(user) is None or not visible_branch_ids(user):
        return []
    return list(
        write_offs_visible_to(user)
        .filter(loan__borrower_id=borrower_id, status=WriteOffStatus.APPROVED)
        .prefetch_related("recoveries")
        .order_by("written_off_on")
    )


def loan_write_offs(user, *, loan_id: int) -> list[WriteOff]:
    """Every write-off proposal and decision of one loan (the loan page shows them)."""
    return list(write_offs_visible_to(user).filter(loan_id=loan_id).prefetch_related("recoveries"))
