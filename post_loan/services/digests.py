"""Reminder digests: the officers' morning email and the branch heads' weekly late list."""

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import Coalesce

from accounts.access import visible_branch_ids
from accounts.models import Role, StaffProfile
from notifications.services import email_enqueue_many, email_queue
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
