"""Reads of the required actions, every one scoped through accounts.access."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.access import scope_queryset
from compliance.models import Violation, ViolationSource
from post_loan.domain import week_bounds
from post_loan.models import OPEN_STATUSES, ActionStatus, RequiredAction, ReviewStatus

RECENTLY_RETURNED_DAYS = 14


def actions_visible_to(user) -> QuerySet[RequiredAction]:
    """The one scoping of actions: an officer sees the actions they are responsible for; a
    branch head or compliance officer their branches' actions."""
    return scope_queryset(
        RequiredAction.objects.all(), user, branch_field="branch", officer_field="responsible"
    ).select_related("template", "loan", "loan__borrower", "responsible__profile")


def _with_effective_due(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(effective_due=Coalesce("redo_by", "due_on"))


def worklist_for(user, *, today: dt.date) -> dict[str, list[RequiredAction]]:
    """An officer's worklist: open actions due this week, late ones, recently returned ones."""
    mine = _with_effective_due(actions_visible_to(user).filter(responsible=user, status__in=OPEN_STATUSES))
    _monday, sunday = week_bounds(today)
    return {
        "late": list(mine.filter(status=ActionStatus.LATE).order_by("effective_due", "id")),
        "due_this_week": list(
            mine.filter(status=ActionStatus.PENDING, effective_due__lte=sunday).order_by(
                "effective_due", "id"
            )
        ),
        "returned": list(
            mine.filter(
                review_status=ReviewStatus.RETURNED,
                reviewed_at__date__gte=today - dt.timedelta(days=RECENTLY_RETURNED_DAYS),
            ).order_by("effective_due", "id")
        ),
        "upcoming": list(
            mine.filter(status=ActionStatus.PENDING, effective_due__gt=sunday).order_by(
                "effective_due", "id"
            )[:20]
        ),
    }


def _rates(queryset: QuerySet, group_by: list[str], *, start: dt.date, end: dt.date) -> list[dict]:
    """Completion and on-time rates of the actions due in [start, end], waived ones aside."""
    rows = (
        queryset.filter(due_on__gte=start, due_on__lte=end)
        .exclude(status=ActionStatus.WAIVED)
        .values(*group_by)
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=ActionStatus.DONE)),
            on_time=Count("id", filter=Q(status=ActionStatus.DONE, completed_on_time=True)),
            late=Count("id", filter=Q(status=ActionStatus.LATE)),
            pending=Count("id", filter=Q(status=ActionStatus.PENDING)),
            returned=Count("id", filter=Q(review_status=ReviewStatus.RETURNED)),
        )
        .order_by(*group_by)
    )
    result = []
    for row in rows:
        row["completion_rate"] = round(100 * row["done"] / row["total"], 1) if row["total"] else None
        row["on_time_rate"] = round(100 * row["on_time"] / row["total"], 1) if row["total"] else None
        result.append(row)
    return result


def rates_per_officer(queryset: QuerySet, *, start: dt.date, end: dt.date) -> list[dict]:
    rows = _rates(
        queryset.annotate(officer_name=F("responsible__profile__full_name")),
        ["responsible_id", "officer_name"],
        start=start,
        end=end,
    )
    for row in rows:
        row["label"] = row["officer_name"] or ""
    return rows


def rates_per_template(queryset: QuerySet, *, start: dt.date, end: dt.date) -> list[dict]:
    rows = _rates(queryset, ["template_id", "template__name"], start=start, end=end)
    for row in rows:
        row["label"] = row["template__name"]
    return rows


def penalties_visible_to(user) -> QuerySet[Violation]:
    """Penalties (问题处罚) raised for missed required actions, linked to their action."""
    content_type = ContentType.objects.get_for_model(RequiredAction)
    return scope_queryset(
        Violation.objects.filter(source=ViolationSource.MISSED_ACTION, source_content_type=content_type),
        user,
        branch_field="branch",
        officer_field="staff",
    ).select_related("staff__profile")


def scorecard(user, *, start: dt.date, end: dt.date) -> list[dict]:
    """The monthly scorecard (考核) per officer: actions due in the month, done, on time,
    late, returned, and the penalty points of missed actions dated in the month.

    score = on-time rate (0-100) minus the penalty points (pending or approved)."""
    rows = rates_per_officer(actions_visible_to(user), start=start, end=end)
    points = dict(
        penalties_visible_to(user)
        .filter(occurred_on__gte=start, occurred_on__lte=end)
        .exclude(status="withdrawn")
        .values("staff_id")
        .annotate(points=Sum("score_deduction"))
        .values_list("staff_id", "points")
    )
    for row in rows:
        row["penalty_points"] = points.get(row["responsible_id"]) or 0
        row["score"] = round((row["on_time_rate"] or 0) - float(row["penalty_points"]), 1)
    return rows
