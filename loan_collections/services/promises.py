"""Checking promises to pay at 16:00 on their date, and the follow-ups a missed one creates."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import profile_of
from loan_collections.contact_policy import SHANGHAI, contact_window
from loan_collections.models import FollowUpTask, PromiseStatus, PromiseToPay
from loan_collections.selectors import ZERO, calls_in_week, rules_for_branch
from loan_collections.services.cases import can_act_on_case
from loans.models import Repayment
from loans.services import personal_data_in_email
from notifications.services import email_enqueue_many, email_queue

PROMISE_CHECK_TIME = dt.time(16, 0)


@transaction.atomic
def promises_check(*, at: dt.datetime) -> dict[str, int]:
    """At 16:00 on the promised date, check the repayment records (repayments on the
    borrower's loans from the day of the promise to the promised date): kept in full,
    partial, or broken. A broken or partial promise gets a "call again" task at the next
    moment the timing rules allow, and the officer one email listing them. Promises due
    earlier and still pending (a missed run) are checked too. Idempotent."""
    local = at.astimezone(SHANGHAI)
    day = local.date()
    last_due = day if local.time() >= PROMISE_CHECK_TIME else day - dt.timedelta(days=1)
    promises = list(
        PromiseToPay.objects.select_for_update(of=("self",))
        .filter(status=PromiseStatus.PENDING, due_on__lte=last_due)
        .select_related("case__borrower", "case__branch", "officer")
    )
    if not promises:
        return {"checked": 0, "kept": 0, "partial": 0, "broken": 0, "emails": 0}
    borrower_ids = {promise.case.borrower_id for promise in promises}
    earliest = min(promise.promised_on for promise in promises)
    payments: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for borrower_id, paid_on, amount in Repayment.objects.filter(
        loan__borrower_id__in=borrower_ids, paid_on__gte=earliest, paid_on__lte=last_due
    ).values_list("loan__borrower_id", "paid_on", F("principal") + F("interest")):
        payments[borrower_id].append((paid_on, amount))
    counts = {"checked": 0, "kept": 0, "partial": 0, "broken": 0}
    missed_by_officer: dict[int, list[PromiseToPay]] = defaultdict(list)
    tasks = []
    for promise in promises:
        paid = sum(
            (
                amount
                for paid_on, amount in payments[promise.case.borrower_id]
                if promise.promised_on <= paid_on <= promise.due_on
            ),
            ZERO,
        )
        promise.paid_amount = paid
        promise.checked_at = at
        if paid >= promise.amount:
            promise.status = PromiseStatus.KEPT
        elif paid > 0:
            promise.status = PromiseStatus.PARTIAL
        else:
            promise.status = PromiseStatus.BROKEN
        counts["checked"] += 1
        counts[promise.status] += 1
        if promise.status != PromiseStatus.KEPT:
            calls = calls_in_week(borrower_id=promise.case.borrower_id, at=local)
            verdict = contact_window(
                max(local, _check_moment(promise.due_on)),
                rules_for_branch(promise.case.branch_id),
                calls_this_week=calls,
            )
            promise.next_call_at = verdict.next_allowed
            tasks.append(
                FollowUpTask(
                    case=promise.case,
                    officer_id=promise.officer_id,
                    promise=promise,
                    due_at=verdict.next_allowed,
                    title=_("Call again: promise of %(amount)s yuan by %(date)s not kept")
                    % {"amount": promise.amount, "date": promise.due_on},
                )
            )
            missed_by_officer[promise.officer_id].append(promise)
    PromiseToPay.objects.bulk_update(promises, ["status", "paid_amount", "checked_at"])
    FollowUpTask.objects.bulk_create(tasks, ignore_conflicts=True)
    emails = _promise_emails(day=day, missed_by_officer=missed_by_officer)
    counts["emails"] = emails
    return counts


def _check_moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, PROMISE_CHECK_TIME, tzinfo=SHANGHAI)


def _promise_emails(*, day: dt.date, missed_by_officer: dict[int, list[PromiseToPay]]) -> int:
    created_ids = []
    for promises in missed_by_officer.values():
        officer = promises[0].officer
        rows = [
            {
                "borrower": promise.case.borrower.name,
                "phone": personal_data_in_email(promise.case.borrower.phone),
                "amount": promise.amount,
                "paid": promise.paid_amount,
                "due_on": promise.due_on,
                "status": PromiseStatus(promise.status).label,
                "next_call_at": promise.next_call_at,
            }
            for promise in promises
        ]
        profile = profile_of(officer)
        email, created = email_queue(
            kind="promise_broken",
            key_date=day,
            recipient=officer,
            template="loan_collections/emails/promise_broken",
            context={
                "name": profile.full_name if profile else officer.get_username(),
                "day": day,
                "rows": rows,
            },
            enqueue=False,
        )
        if created:
            created_ids.append(email.pk)
    email_enqueue_many(email_ids=created_ids)
    return len(created_ids)


@transaction.atomic
def follow_up_close(*, task: FollowUpTask, by, reason: str) -> FollowUpTask:
    """Close a "call again" without a contact: only with a written reason (e.g. the borrower
    paid at the counter), kept with who closed it and when. The usual way to close one is
    to log the contact made for it (``contact_log(follow_up=...)``)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Log the contact made for this follow-up, or say why it is closed without one.")]}
        )
    task = FollowUpTask.objects.select_for_update(of=("self",)).select_related("case").get(pk=task.pk)
    if not can_act_on_case(by, task.case):
        raise ValidationError(_("Only the assigned officer or the branch head can close this follow-up."))
    if task.done_at is not None:
        raise ValidationError(_("This follow-up is already closed."))
    task.done_at = timezone.now()
    task.closed_by = by
    task.close_reason = reason
    task.save(update_fields=["done_at", "closed_by", "close_reason"])
    return task
