import pghistory.models
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import (
    LOAN_WORK_ROLES,
    Role,
    profile_of,
    role_of,
    scope_queryset,
    visible_branch_ids,
)
from accounts.masking import mask_personal
from loans.domain import NON_PERFORMING_CLASSES, normalise_industry_code
from loans.models import (
    Borrower,
    ChangeStatus,
    ClassificationChange,
    Collateral,
    Guarantor,
    IndustryPolicy,
    Loan,
    LoanStatus,
    PersonalField,
    Repayment,
    Restructuring,
    RestructuringStatus,
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

# The loan list's groups (the dashboard's figures link to them). NPL and overdue count the
# active book only, as the dashboard does: a written-off loan (核销) is off the balance.
LOAN_GROUPS = {
    "npl": Q(status=LoanStatus.ACTIVE, risk_class__in=NON_PERFORMING_CLASSES),
    "overdue": Q(status=LoanStatus.ACTIVE, days_past_due__gt=0),
    "restructured": Q(status=LoanStatus.ACTIVE, restructured=True),
    "written_off": Q(status=LoanStatus.WRITTEN_OFF),
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
    loans = _one_or_several(loans, "risk_class", risk_class)
    loans = _one_or_several(loans, "bucket", bucket)
    if min_days_past_due:
        loans = loans.filter(days_past_due__gte=min_days_past_due)
    if group in LOAN_GROUPS:
        loans = loans.filter(LOAN_GROUPS[group])
    if branch_id:
        loans = loans.filter(branch_id=branch_id)
    return _sorted(_searched(loans, q), sort)


def _one_or_several(loans: QuerySet[Loan], field: str, value) -> QuerySet[Loan]:
    # One value, or several: the dashboard links its NPL figure to classes 3-5 and its
    # overdue figure to every overdue bucket.
    if isinstance(value, list | tuple):
        return loans.filter(**{f"{field}__in": value}) if value else loans
    return loans.filter(**{field: value}) if value else loans


def _searched(loans: QuerySet[Loan], q: str) -> QuerySet[Loan]:
    """Loan or contract number or ID number exactly, or part of the borrower's name."""
    q = (q or "").strip()
    if not q:
        return loans
    return loans.filter(
        Q(loan_no__iexact=q)
        | Q(contract_no__iexact=q)
        | Q(borrower__id_number__iexact=q)
        | Q(borrower__name__icontains=q)
    )


def _sorted(loans: QuerySet[Loan], sort: str) -> QuerySet[Loan]:
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


SCHEDULE_UPCOMING = 12


def schedule_shown(lines: list[ScheduleLine], *, today, full: bool = False) -> dict:
    """The schedule lines a loan page shows: every line still unpaid after its due date and
    the next ``SCHEDULE_UPCOMING``; every line when ``full``. From the prefetched lines, so
    the page's query count does not grow with the schedule."""
    if full:
        shown = lines
    else:
        overdue = [line for line in lines if line.paid_on is None and line.due_on < today]
        upcoming = [line for line in lines if line.due_on >= today][:SCHEDULE_UPCOMING]
        shown = overdue + upcoming
    return {"lines": shown, "total": len(lines), "hidden": len(lines) - len(shown), "full": full}


def loan_history(loan: Loan, *, limit: int = 200) -> list[dict]:
    """Change history of the loan and of what hangs on it (borrower, collateral, guarantors,
    class changes): who, when, what changed; three queries whatever the length."""
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
                    (
                        _field_label(model, field),
                        *_history_values(field, before, after),
                        _model_field(model, field),
                    )
                    for field, (before, after) in sorted(diff.items())
                    if field not in {"updated_at", "created_at"}
                ],
            }
        )
    return rows


def _history_values(field: str, before, after) -> tuple:
    """An ID number or phone in the change history is always masked (docs/personal-data.md):
    the history is a list, never a deliberate reveal."""
    if field in PersonalField.values:
        return mask_personal(field, before or ""), mask_personal(field, after or "")
    return before, after


def _model_field(model, name: str):
    """The changed field, so the page can write its values by type (money, class, date)."""
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def _field_label(model, name: str) -> str:
    field = _model_field(model, name)
    return str(field.verbose_name) if field is not None else name


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


def industry_policy_for(codes: set[str]) -> dict[str, IndustryPolicy]:
    """The policy of each GB/T 4754 code that has one, by longest prefix: with C26
    restricted, "C2614" maps to the C26 policy. Codes without a policy are absent. One query;
    the import report, the borrower and loan pages and the dashboard all call this."""
    policies = {policy.code: policy for policy in IndustryPolicy.objects.all()}
    result = {}
    for code in codes:
        normal = normalise_industry_code(code)
        for length in range(len(normal), 0, -1):
            policy = policies.get(normal[:length])
            if policy is not None:
                result[code] = policy
                break
    return result


def restructurings_pending_for(user) -> QuerySet[Restructuring]:
    """Restructuring proposals waiting for this branch head (loans of their own branch)."""
    profile = profile_of(user)
    if profile is None:
        return Restructuring.objects.none()
    return (
        Restructuring.objects.filter(
            status=RestructuringStatus.PROPOSED,
            loan__in=loans_visible_to(user),
            loan__branch_id=profile.branch_id,
        )
        .select_related("loan__borrower", "proposed_by__profile")
        .order_by("proposed_at")
    )


def restructurings_in_observation_for(user) -> QuerySet[Restructuring]:
    """Restructured loans in their observation period, as the user may see them."""
    return (
        Restructuring.objects.filter(
            status=RestructuringStatus.APPROVED, left_on__isnull=True, loan__in=loans_visible_to(user)
        )
        .select_related("loan__borrower")
        .order_by("observation_ends_on", "pk")
    )


def restructurings_of(loan: Loan) -> list[Restructuring]:
    """A loan's restructurings, newest first, with their observation restarts."""
    return list(
        loan.restructurings.select_related("proposed_by__profile", "decided_by__profile").prefetch_related(
            "restarts"
        )
    )
