"""Reads of the risk screening, every list scoped through accounts.access."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.access import scope_queryset
from loans.models import BorrowerType, IndustryPolicy, LoanStatus, PolicyLevel
from loans.selectors import borrowers_visible_to, loans_visible_to
from screening.models import (
    DownPaymentReceipt,
    EarlyWarningSignal,
    FaceSigning,
    ProjectFlag,
    SignalStatus,
)


def flagged_policies() -> list[IndustryPolicy]:
    return list(IndustryPolicy.objects.exclude(level=PolicyLevel.ALLOWED))


def _industry_q(field: str, policies: list[IndustryPolicy]) -> Q:
    query = Q(pk__in=[])
    for policy in policies:
        query |= Q(**{f"{field}__istartswith": policy.code})
    return query


def flagged_borrowers_visible_to(user) -> QuerySet:
    """Borrowers whose industry is restricted or prohibited (a longer allowed code, e.g. an
    allowed C2625 under a restricted C26, is resolved per row by industry_policy_for)."""
    return borrowers_visible_to(user).filter(_industry_q("industry_code", flagged_policies()))


def flagged_loans_visible_to(user) -> QuerySet:
    return loans_visible_to(user).filter(
        _industry_q("borrower__industry_code", flagged_policies()), status=LoanStatus.ACTIVE
    )


def signals_visible_to(user) -> QuerySet[EarlyWarningSignal]:
    return scope_queryset(
        EarlyWarningSignal.objects.all(), user, branch_field="branch", officer_field="officer"
    ).select_related("borrower", "loan", "raised_by__profile", "verification_action")


def open_signals_visible_to(user) -> QuerySet[EarlyWarningSignal]:
    return signals_visible_to(user).exclude(status=SignalStatus.CLOSED)


def face_signings_visible_to(user) -> QuerySet[FaceSigning]:
    return scope_queryset(
        FaceSigning.objects.all(), user, branch_field="loan__branch", officer_field="loan__officer"
    ).select_related("loan", "loan__borrower", "signed_by__profile")


def face_signing_gaps_visible_to(user) -> QuerySet:
    """Active individual loans without a complete face-signing record (the database refuses
    an incomplete one, so "complete" means "present").

    NOT EXISTS, not a LEFT JOIN ... IS NULL: PostgreSQL plans NOT EXISTS as an anti-join and
    estimates its rows from the face signings, while it took the filtered left join for 0.5 %
    of the loans and nested a loop of borrower look-ups over every active loan (11 s at a
    million loans under load; bench/RESULTS.md)."""
    return (
        loans_visible_to(user)
        .filter(
            ~Exists(FaceSigning.objects.filter(loan_id=OuterRef("pk"))),
            borrower__borrower_type=BorrowerType.INDIVIDUAL,
            status=LoanStatus.ACTIVE,
        )
        .select_related("borrower", "officer__profile")
    )


def receipts_visible_to(user) -> QuerySet[DownPaymentReceipt]:
    return scope_queryset(
        DownPaymentReceipt.objects.all(), user, branch_field="loan__branch", officer_field="loan__officer"
    ).select_related("loan", "loan__borrower")


def project_flags_visible_to(user) -> QuerySet[ProjectFlag]:
    # Branch-level data for the branch head and compliance: the views are role pages.
    return scope_queryset(
        ProjectFlag.objects.all(), user, branch_field="branch", officer_field=None
    ).select_related("verification_action")
