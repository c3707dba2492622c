"""Reads for collection, including the one per-user scoping of cases and what hangs off them."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import OVERSIGHT_ROLES, has_role, profile_of, scope_queryset
from accounts.models import Role, StaffProfile
from loan_collections.contact_policy import (
    SHANGHAI,
    PolicyRules,
    Verdict,
    contact_window,
    day_status,
    week_start,
)
from loan_collections.models import (
    CALL_CHANNELS,
    DEFAULT_LATE_ENTRY_HOURS,
    OPEN_STAGES,
    CollectionCase,
    CollectionPlan,
    CollectionSettings,
    ContactAttempt,
    FollowUpTask,
    LegalAction,
    PromiseStatus,
    PromiseToPay,
)
from loans.models import Loan, LoanStatus, Repayment

ZERO = Decimal("0.00")


def cases_visible_to(user) -> QuerySet[CollectionCase]:
    """Every case view goes through here: an officer sees the cases assigned to them, the
    branch head and compliance their branches' cases."""
    return scope_queryset(CollectionCase.objects.all(), user, branch_field="branch", officer_field="officer")


def promises_visible_to(user) -> QuerySet[PromiseToPay]:
    return scope_queryset(
        PromiseToPay.objects.all(), user, branch_field="case__branch", officer_field="case__officer"
    )


def tasks_visible_to(user) -> QuerySet[FollowUpTask]:
    return scope_queryset(
        FollowUpTask.objects.all(), user, branch_field="case__branch", officer_field="case__officer"
    )


def legal_actions_visible_to(user) -> QuerySet[LegalAction]:
    return scope_queryset(
        LegalAction.objects.all(), user, branch_field="case__branch", officer_field="case__officer"
    )


def plans_visible_to(user) -> QuerySet[CollectionPlan]:
    return scope_queryset(CollectionPlan.objects.all(), user, branch_field="branch", officer_field="officer")


def settings_for_branch(branch_id: int | None) -> CollectionSettings:
    """The branch's saved rules, or the defaults (unsaved) when the head set none."""
    found = CollectionSettings.objects.filter(branch_id=branch_id).first() if branch_id else None
    return found or CollectionSettings(branch_id=branch_id)


def late_entry_window(*, branch_id: int | None) -> dt.timedelta:
    """How long after a contact it may be entered without a late-entry reason (补录)."""
    return dt.timedelta(hours=settings_for_branch(branch_id).late_entry_hours)


def late_entries_visible_to(user) -> QuerySet[ContactAttempt]:
    """Contacts entered longer after they took place than their branch's window, newest
    entry first: the branch head's check on backdating."""
    hours = Coalesce(
        F("case__branch__collection_settings__late_entry_hours"), Value(DEFAULT_LATE_ENTRY_HOURS)
    )
    contacts = scope_queryset(
        ContactAttempt.objects.all(), user, branch_field="case__branch", officer_field="case__officer"
    )
    return (
        contacts.annotate(
            lateness=ExpressionWrapper(F("entered_at") - F("contacted_at"), output_field=DurationField()),
            window=ExpressionWrapper(hours * Value(dt.timedelta(hours=1)), output_field=DurationField()),
        )
        .filter(lateness__gt=F("window"))
        .select_related("case__borrower", "officer__profile")
        .order_by("-entered_at", "-id")
    )


def rules_from(settings: CollectionSettings) -> PolicyRules:
    return PolicyRules(
        quiet_lunar_days=settings.quiet_lunar_days,
        literal_thirtieth=settings.last_day_rule == CollectionSettings.LastDayRule.LITERAL_30,
        earliest=settings.earliest_time,
        latest=settings.latest_time,
        weekly_call_cap=settings.weekly_call_cap,
    )


def rules_for_branch(branch_id: int | None) -> PolicyRules:
    return rules_from(settings_for_branch(branch_id))


def calls_in_week(*, borrower_id: int, at: dt.datetime) -> int:
    start = dt.datetime.combine(week_start(at.astimezone(SHANGHAI).date()), dt.time(0), tzinfo=SHANGHAI)
    return ContactAttempt.objects.filter(
        case__borrower_id=borrower_id,
        channel__in=CALL_CHANNELS,
        contacted_at__gte=start,
        contacted_at__lt=start + dt.timedelta(days=7),
    ).count()


def contact_check(
    *, branch_id: int | None, at: dt.datetime, borrower_id: int | None = None, channel=None
) -> Verdict:
    """The timing verdict for a call or visit at ``at`` (with the weekly cap when the
    borrower is known)."""
    is_call = channel is None or channel in CALL_CHANNELS
    calls = calls_in_week(borrower_id=borrower_id, at=at) if borrower_id and is_call else 0
    return contact_window(at, rules_for_branch(branch_id), calls_this_week=calls, is_call=is_call)


def quiet_status(user) -> dict:
    """Today's humane-timing status for the user's branch (worklist, home panel)."""
    now = timezone.localtime()
    profile = profile_of(user)
    branch_id = profile.branch_id if profile else None
    rules = rules_for_branch(branch_id)
    verdict = contact_check(branch_id=branch_id, at=now)
    return {"quiet_day": day_status(now.date(), rules), "verdict": verdict, "rules": rules}


def borrower_overdue_and_balance(*, borrower_id: int) -> tuple[Decimal, Decimal]:
    """(overdue principal + interest, remaining balance) over the borrower's active loans.
    The balance already contains the overdue principal, so the most a borrower can owe is
    balance + overdue interest."""
    totals = Loan.objects.filter(borrower_id=borrower_id, status=LoanStatus.ACTIVE).aggregate(
        overdue=Sum(F("overdue_principal") + F("overdue_interest")),
        balance=Sum("balance"),
        interest=Sum("overdue_interest"),
    )
    return totals["overdue"] or ZERO, (totals["balance"] or ZERO) + (totals["interest"] or ZERO)


def borrower_first_disbursement(*, borrower_id: int) -> dt.date | None:
    """When the borrower's first loan was disbursed (None: no loan on the ledger)."""
    return Loan.objects.filter(borrower_id=borrower_id).aggregate(first=Min("disbursed_on"))["first"]


def borrower_has_overdue(*, borrower_id: int) -> bool:
    return Loan.objects.filter(
        Q(overdue_principal__gt=0) | Q(overdue_interest__gt=0) | Q(days_past_due__gt=0),
        borrower_id=borrower_id,
        status=LoanStatus.ACTIVE,
    ).exists()


def balance_at_year_start(*, borrower_ids, year: int) -> dict[int, Decimal]:
    """以年初余额为基数: a borrower's balance on 1 January, rebuilt as the current balance plus
    the principal repaid since 1 January, for loans disbursed before 1 January. Two queries."""
    jan1 = dt.date(year, 1, 1)
    ids = list(borrower_ids)
    result: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        Loan.objects.filter(borrower_id__in=ids, disbursed_on__lt=jan1)
        .values("borrower_id")
        .annotate(balance=Sum("balance"))
    ):
        result[row["borrower_id"]] += row["balance"] or ZERO
    for row in (
        Repayment.objects.filter(loan__borrower_id__in=ids, loan__disbursed_on__lt=jan1, paid_on__gte=jan1)
        .values("loan__borrower_id")
        .annotate(principal=Sum("principal"))
    ):
        result[row["loan__borrower_id"]] += row["principal"] or ZERO
    return {borrower_id: result[borrower_id] for borrower_id in ids}


def branch_head_of(branch_id: int):
    profile = (
        StaffProfile.objects.select_related("user")
        .filter(branch_id=branch_id, role=Role.BRANCH_HEAD)
        .order_by("employee_no")
        .first()
    )
    return profile.user if profile else None


def officer_targets(user, *, year: int) -> list[dict]:
    """Per officer, for the year: plans, target, base, recovered (repayments this year on the
    planned borrowers' loans) and the promise-kept rate. A constant number of queries."""
    plans = plans_visible_to(user).filter(year=year)
    by_officer: dict[int, dict] = {}
    for row in plans.values("officer_id", "officer__profile__full_name", "officer__username").annotate(
        plans=Count("id"), base=Sum("balance_at_year_start"), target=Sum("target_amount")
    ):
        by_officer[row["officer_id"]] = {
            "officer_id": row["officer_id"],
            "name": row["officer__profile__full_name"] or row["officer__username"],
            "plans": row["plans"],
            "base": row["base"] or ZERO,
            "target": row["target"] or ZERO,
            "recovered": ZERO,
            "kept": 0,
            "checked": 0,
        }
    recovered = (
        Repayment.objects.filter(
            paid_on__year=year,
            loan__borrower__collection_plans__year=year,
            loan__borrower__collection_plans__in=plans,
        )
        .values("loan__borrower__collection_plans__officer_id")
        .annotate(total=Sum(F("principal") + F("interest")))
    )
    for row in recovered:
        entry = by_officer.get(row["loan__borrower__collection_plans__officer_id"])
        if entry:
            entry["recovered"] = row["total"] or ZERO
    for row in promise_kept_rates(user, year=year):
        entry = by_officer.get(row["officer_id"])
        if entry:
            entry["kept"], entry["checked"] = row["kept"], row["checked"]
    for entry in by_officer.values():
        entry["progress"] = int(entry["recovered"] * 100 / entry["target"]) if entry["target"] else 0
        entry["kept_rate"] = round(entry["kept"] * 100 / entry["checked"]) if entry["checked"] else None
    return sorted(by_officer.values(), key=lambda entry: entry["name"])


def promise_kept_rates(user, *, year: int | None = None) -> list[dict]:
    """Per officer: promises checked and kept (in full)."""
    qs = promises_visible_to(user).exclude(status=PromiseStatus.PENDING)
    if year:
        qs = qs.filter(due_on__year=year)
    rows = (
        qs.values("officer_id", "officer__profile__full_name", "officer__username")
        .annotate(checked=Count("id"), kept=Count("id", filter=Q(status=PromiseStatus.KEPT)))
        .order_by("officer__username")
    )
    return [
        {
            "officer_id": row["officer_id"],
            "name": row["officer__profile__full_name"] or row["officer__username"],
            "checked": row["checked"],
            "kept": row["kept"],
            "rate": round(row["kept"] * 100 / row["checked"]) if row["checked"] else None,
        }
        for row in rows
    ]


def worklist_for(user) -> dict:
    """The officer's worklist: open cases (their own, or co-owned as branch head), open
    follow-up tasks, promises falling due."""
    cases = (
        cases_visible_to(user).filter(stage__in=OPEN_STAGES).select_related("borrower", "officer__profile")
    )
    tasks = tasks_visible_to(user).filter(done_at__isnull=True).select_related("case__borrower", "promise")
    today = timezone.localdate()
    promises = (
        promises_visible_to(user)
        .filter(status=PromiseStatus.PENDING, due_on__lte=today + dt.timedelta(days=7))
        .select_related("case__borrower")
    )
    context = {"cases": cases, "tasks": tasks, "promises": promises}
    if has_role(user, *OVERSIGHT_ROLES):
        context["late_entry_count"] = late_entries_visible_to(user).count()
    return context
