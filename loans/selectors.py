from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.access import (
    LOAN_WORK_ROLES,
    Role,
    can_see_personal_data,
    profile_of,
    role_of,
    scope_queryset,
    visible_branch_ids,
)
from accounts.masking import mask_id_number, mask_phone
from loans.domain import NON_PERFORMING_CLASSES
from loans.models import (
    Borrower,
    ChangeStatus,
    ClassificationChange,
    Collateral,
    Guarantor,
    Loan,
    Repayment,
    ScheduleLine,
)


def loans_visible_to(user) -> QuerySet[Loan]:
    """The one scoping of loans: every list, detail, export, email and API view uses it."""
    return scope_queryset(Loan.objects.all(), user, branch_field="branch", officer_field="officer")


def borrowers_visible_to(user) -> QuerySet[Borrower]:
    return scope_queryset(Borrower.objects.all(), user, branch_field="branch", officer_field="officer")


# Columns a user may sort the loan list by (the query string names them, "-" for descending).
LOAN_SORTS = {
    "loan_no": "loan_no",
    "borrower": "borrower__name",
    "product": "product",
    "balance": "balance",
    "days_past_due": "days_past_due",
    "risk_class": "risk_class",
    "matures_on": "matures_on",
}


def loans_filtered(
    user,
    *,
    officer_id: int | None = None,
    product: str = "",
    risk_class: int | list[int] | None = None,
    bucket: str | list[str] = "",
    min_days_past_due: int | None = None,
    group: str = "",
    branch_id: int | None = None,
    q: str = "",
    sort: str = "",
) -> QuerySet[Loan]:
    """The loan list (page, export and API): scoped, filtered, sorted; borrower and officer
    fetched in the same query."""
    loans = loans_visible_to(user).select_related("borrower", "officer__profile", "branch")
    if officer_id:
        loans = loans.filter(officer_id=officer_id)
    if product:
        loans = loans.filter(product=product)
    # One value, or several: the dashboard links its NPL figure to classes 3-5 and its
    # overdue figure to every overdue bucket.
    if isinstance(risk_class, list | tuple):
        loans = loans.filter(risk_class__in=risk_class) if risk_class else loans
    elif risk_class:
        loans = loans.filter(risk_class=risk_class)
    if isinstance(bucket, list | tuple):
        loans = loans.filter(bucket__in=bucket) if bucket else loans
    elif bucket:
        loans = loans.filter(bucket=bucket)
    if min_days_past_due:
        loans = loans.filter(days_past_due__gte=min_days_past_due)
    if group == "npl":
        loans = loans.filter(risk_class__in=NON_PERFORMING_CLASSES)
    elif group == "overdue":
        loans = loans.filter(days_past_due__gt=0)
    if branch_id:
        loans = loans.filter(branch_id=branch_id)
    q = (q or "").strip()
    if q:
        loans = loans.filter(
            Q(loan_no__iexact=q)
            | Q(contract_no__iexact=q)
            | Q(borrower__id_number__iexact=q)
            | Q(borrower__name__icontains=q)
        )
    field = LOAN_SORTS.get(sort.lstrip("-"))
    if field:
        return loans.order_by(f"-{field}" if sort.startswith("-") else field, "loan_no")
    return loans.order_by("loan_no")


def officers_visible_to(user) -> QuerySet:
    """Officers whose loans the user may filter by (themselves only, for an officer)."""
    users = get_user_model().objects.filter(profile__branch_id__in=visible_branch_ids(user))
    if role_of(user) == Role.OFFICER:
        users = users.filter(pk=user.pk)
    return users.filter(profile__role=Role.OFFICER).select_related("profile").order_by("profile__employee_no")


def may_reveal_portfolio(user) -> bool:
    """May this user reveal the personal data of every loan they can list? An officer
    lists only their own loans; a branch head or an administrator may see all in scope."""
    return role_of(user) in LOAN_WORK_ROLES


def loan_detail(user, *, loan_no: str) -> Loan:
    """One loan with everything its page shows, in a fixed number of queries."""
    from django.shortcuts import get_object_or_404

    queryset = loans_visible_to(user).select_related("borrower", "officer__profile", "branch")
    queryset = queryset.prefetch_related(
        Prefetch("schedule", queryset=ScheduleLine.objects.order_by("seq")),
        Prefetch("repayments", queryset=Repayment.objects.select_related("recorded_by__profile")),
        "collateral",
        "guarantors",
        Prefetch(
            "classification_changes",
            queryset=ClassificationChange.objects.select_related(
                "proposed_by__profile", "decided_by__profile"
            ),
        ),
    )
    return get_object_or_404(queryset, loan_no=loan_no)


def loan_history(loan: Loan, *, limit: int = 200) -> list[dict]:
    """Change history of the loan and of what hangs on it (borrower, collateral, guarantors,
    class changes): who, when, what changed; three queries whatever the length."""
    import pghistory.models

    events = list(pghistory.models.Events.objects.references(loan).order_by("-pgh_created_at")[:limit])
    events += list(pghistory.models.Events.objects.tracks(loan.borrower).order_by("-pgh_created_at")[:limit])
    events = sorted(events, key=lambda event: event.pgh_created_at, reverse=True)[:limit]
    user_ids = {(event.pgh_context or {}).get("user") for event in events} - {None}
    names = {}
    if user_ids:
        for user in get_user_model().objects.filter(pk__in=user_ids).select_related("profile"):
            profile = getattr(user, "profile", None)
            names[user.pk] = profile.full_name if profile else user.get_username()
    tracked = {
        f"loans.{model.__name__}Event": model
        for model in (Loan, Borrower, Collateral, Guarantor, ClassificationChange)
    }
    labels = {"insert": _("created"), "update": _("changed")}
    rows = []
    for event in events:
        context = event.pgh_context or {}
        diff = event.pgh_diff or {}
        model = tracked.get(event.pgh_model)
        rows.append(
            {
                "at": event.pgh_created_at,
                "label": labels.get(event.pgh_label, event.pgh_label),
                "model": model._meta.verbose_name if model else event.pgh_model,
                "who": names.get(context.get("user"), ""),
                "url": context.get("url", ""),
                "changes": [
                    (_field_label(model, field), before, after)
                    for field, (before, after) in sorted(diff.items())
                    if field not in {"updated_at", "created_at"}
                ],
            }
        )
    return rows


def _field_label(model, name: str) -> str:
    if model is None:
        return name
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return str(field.verbose_name)
    return name


def classification_pending_for(user) -> QuerySet[ClassificationChange]:
    """Upgrade proposals waiting for this branch head (loans of their own branch)."""
    profile = profile_of(user)
    if profile is None:
        return ClassificationChange.objects.none()
    return (
        ClassificationChange.objects.filter(
            status=ChangeStatus.PENDING, loan__in=loans_visible_to(user), loan__branch_id=profile.branch_id
        )
        .select_related("loan__borrower", "proposed_by__profile")
        .order_by("proposed_at")
    )


def shown_personal_data(user, *, officer_id: int | None, id_number: str, phone: str, revealed: bool = False):
    """(ID number, phone) as this user may see them: in full only when revealed by someone
    allowed (the responsible officer or a branch head), masked otherwise."""
    if revealed and can_see_personal_data(user, officer_id=officer_id):
        return id_number, phone
    return mask_id_number(id_number), mask_phone(phone)
