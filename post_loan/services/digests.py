"""Reminder digests: the officers' morning email, the branch heads' weekly late list and
the officers' weekly coming-due list (到期预警周报)."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.access import visible_branch_ids
from accounts.models import Role, StaffProfile
from notifications.services import email_enqueue_many, email_queue
from post_loan.coming_due import DEFAULT_HORIZON, ComingDueItem, active_loans, coming_due_items, group_by_kind
from post_loan.domain import week_bounds
from post_loan.models import OPEN_STATUSES, ActionStatus, RequiredAction

DIGEST_DAYS = 7


def actions_digest_send(*, day: dt.date) -> int:
    """Morning email to every officer with open actions due within 7 days or late.

    One email per officer per day (the email row's unique key): running it again queues
    nothing new. Returns how many emails were queued now."""
    due_until = day + dt.timedelta(days=DIGEST_DAYS)
    actions = (
        RequiredAction.objects.filter(status__in=OPEN_STATUSES)
        .annotate(effective_due=Coalesce("redo_by", "due_on"))
        .filter(Q(status=ActionStatus.LATE) | Q(effective_due__lte=due_until))
        .select_related("template", "loan", "loan__borrower", "responsible")
        .order_by("responsible_id", "effective_due", "id")
    )
    per_user: dict[int, list[RequiredAction]] = defaultdict(list)
    users = {}
    for action in actions:
        per_user[action.responsible_id].append(action)
        users[action.responsible_id] = action.responsible
    names = dict(StaffProfile.objects.filter(user_id__in=users).values_list("user_id", "full_name"))
    queued = []
    for user_id, items in per_user.items():
        user = users[user_id]
        if not user.email or not user.is_active:
            continue
        email, created = email_queue(
            kind="actions_digest",
            key_date=day,
            recipient=user,
            template="post_loan/emails/actions_digest",
            context={
                "name": names.get(user_id, user.get_username()),
                "day": day,
                "late": [a for a in items if a.status == ActionStatus.LATE],
                "due": [a for a in items if a.status != ActionStatus.LATE],
            },
            enqueue=False,
        )
        if created:
            queued.append(email.pk)
    email_enqueue_many(email_ids=queued)
    return len(queued)


def late_actions_weekly_digest_send(*, day: dt.date) -> int:
    """Weekly email to each branch head: late actions of their branch, per officer."""
    heads = StaffProfile.objects.filter(role=Role.BRANCH_HEAD, user__is_active=True).select_related(
        "user", "branch"
    )
    late = (
        RequiredAction.objects.filter(status=ActionStatus.LATE)
        .select_related("template", "loan", "responsible__profile")
        .order_by("responsible_id", "due_on")
    )
    per_branch: dict[int, list[RequiredAction]] = defaultdict(list)
    for action in late:
        per_branch[action.branch_id].append(action)
    queued = []
    for head in heads:
        user = head.user
        if not user.email:
            continue
        branch_ids = visible_branch_ids(user)
        items = [a for branch_id in branch_ids for a in per_branch.get(branch_id, [])]
        per_officer: dict[str, list[RequiredAction]] = defaultdict(list)
        for action in items:
            profile = getattr(action.responsible, "profile", None)
            per_officer[profile.full_name if profile else action.responsible.get_username()].append(action)
        email, created = email_queue(
            kind="late_actions_weekly",
            key_date=day,
            recipient=user,
            template="post_loan/emails/late_weekly",
            context={
                "name": head.full_name,
                "day": day,
                "per_officer": sorted(per_officer.items()),
                "total": len(items),
            },
            enqueue=False,
        )
        if created:
            queued.append(email.pk)
    email_enqueue_many(email_ids=queued)
    return len(queued)


def coming_due_weekly_digest_send(*, day: dt.date) -> int:
    """Monday email "到期预警周报" to every officer with items of their loans falling due
    within 90 days (or overdue), grouped by kind, each with a link to the loan.

    One email per officer per week (the email row's key is the week's Monday), none for an
    officer with nothing coming due. Returns how many emails were queued now."""
    monday, _sunday = week_bounds(day)
    per_officer: dict[int, list[ComingDueItem]] = defaultdict(list)
    for item in coming_due_items(active_loans(), as_of=day, horizon=DEFAULT_HORIZON):
        per_officer[item.officer_id].append(item)
    users = get_user_model().objects.filter(id__in=per_officer, is_active=True).exclude(email="")
    names = dict(StaffProfile.objects.filter(user_id__in=per_officer).values_list("user_id", "full_name"))
    queued = []
    for user in users:
        items = per_officer[user.pk]
        email, created = email_queue(
            kind="coming_due_weekly",
            key_date=monday,
            recipient=user,
            template="post_loan/emails/coming_due_weekly",
            context={
                "name": names.get(user.pk, user.get_username()),
                "day": day,
                "groups": group_by_kind(items),
                "total": len(items),
                "overdue": sum(item.overdue for item in items),
                "site_url": settings.SITE_URL,
                "page_url": settings.SITE_URL + reverse("coming-due"),
            },
            enqueue=False,
        )
        if created:
            queued.append(email.pk)
    email_enqueue_many(email_ids=queued)
    return len(queued)
