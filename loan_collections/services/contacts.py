"""The contact log: each call, visit or message, checked against the branch's humane-timing
rules and, for a promise to pay, against what the borrower owes."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, has_role
from loan_collections.contact_policy import SHANGHAI
from loan_collections.models import (
    CLOCK_SLACK,
    TIMED_CHANNELS,
    CollectionCase,
    ContactAttempt,
    FollowUpTask,
    Outcome,
    PromiseToPay,
)
from loan_collections.selectors import (
    borrower_first_disbursement,
    borrower_overdue_and_balance,
    contact_check,
    late_entry_window,
)
from loan_collections.services.cases import can_act_on_case

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class _Draft:
    """The contact as the officer entered it, for the checks below."""

    case: CollectionCase
    contacted_at: dt.datetime
    outcome: str
    promise_amount: Decimal | None
    promise_date: dt.date | None
    now: dt.datetime
    late_entry_reason: str = ""


def _not_in_future(draft: _Draft, errors: Errors) -> None:
    if draft.contacted_at > draft.now + CLOCK_SLACK:
        errors["contacted_at"].append(_("A contact cannot be logged in the future."))


def _not_before_the_loan_or_the_case(draft: _Draft, errors: Errors) -> None:
    """No contact about a loan before the loan was disbursed, nor on a case before it was opened."""
    day = draft.contacted_at.astimezone(SHANGHAI).date()
    first_loan = borrower_first_disbursement(borrower_id=draft.case.borrower_id)
    if first_loan is not None and day < first_loan:
        errors["contacted_at"].append(
            _("The borrower's first loan was disbursed on %(date)s; a contact cannot be earlier.")
            % {"date": first_loan.isoformat()}
        )
    elif day < draft.case.opened_on:
        errors["contacted_at"].append(
            _("This case was opened on %(date)s; a contact on it cannot be earlier.")
            % {"date": draft.case.opened_on.isoformat()}
        )


def _late_entry_has_reason(draft: _Draft, errors: Errors) -> None:
    """补录: a contact entered more than the branch's window after it took place needs a
    written reason, so backdating is never silent."""
    window = late_entry_window(branch_id=draft.case.branch_id)
    if draft.now - draft.contacted_at > window and not draft.late_entry_reason:
        errors["late_entry_reason"].append(
            _("This contact took place more than %(hours)s hours ago. Say why it is entered late (补录).")
            % {"hours": int(window.total_seconds() // 3600)}
        )


def _promise_needs_amount_and_date(draft: _Draft, errors: Errors) -> None:
    if draft.outcome == Outcome.PROMISE:
        if draft.promise_amount is None:
            errors["promise_amount"].append(_("A promise needs the promised amount."))
        if draft.promise_date is None:
            errors["promise_date"].append(_("A promise needs the promised date."))
    elif draft.promise_amount is not None or draft.promise_date is not None:
        errors["outcome"].append(_("Choose the outcome “promise to pay” to record a promise."))


def _promise_date_not_past(draft: _Draft, errors: Errors) -> None:
    if draft.promise_date is not None and draft.promise_date < draft.now.astimezone(SHANGHAI).date():
        errors["promise_date"].append(_("The promised date is in the past."))


def _promise_amount_within_debt(draft: _Draft, errors: Errors) -> None:
    if draft.promise_amount is None:
        return
    if draft.promise_amount <= 0:
        errors["promise_amount"].append(_("The promised amount must be more than zero."))
        return
    _overdue, most = borrower_overdue_and_balance(borrower_id=draft.case.borrower_id)
    if draft.promise_amount > most:
        errors["promise_amount"].append(
            _(
                "The promised amount is more than the borrower owes (overdue plus remaining balance: %(most)s yuan)."
            )
            % {"most": most}
        )


# Checked in this order; each adds its messages to the field they belong to.
_CONTACT_CHECKS: tuple[Callable[[_Draft, Errors], None], ...] = (
    _not_in_future,
    _not_before_the_loan_or_the_case,
    _late_entry_has_reason,
    _promise_needs_amount_and_date,
    _promise_date_not_past,
    _promise_amount_within_debt,
)


@dataclass(frozen=True)
class _Override:
    """The timing rule a contact broke and the branch head who allowed it (none: no rule broken)."""

    policy_reason: str = ""
    by: object | None = None


def _timing_rules(draft: _Draft, errors: Errors, *, channel: str, by, override_reason: str) -> _Override:
    """A call or visit at a time the branch's rules forbid is refused with the reason and the
    next allowed time, unless the branch head overrides it with a reason."""
    if channel not in TIMED_CHANNELS:
        return _Override()
    case = draft.case
    verdict = contact_check(
        branch_id=case.branch_id, at=draft.contacted_at, borrower_id=case.borrower_id, channel=channel
    )
    if verdict.allowed:
        return _Override()
    if not override_reason:
        errors["contacted_at"].append(
            _("%(reason)s Next allowed: %(next)s.")
            % {"reason": verdict.reason, "next": verdict.next_allowed.strftime("%Y-%m-%d %H:%M")}
        )
    elif not has_role(by, *APPROVER_ROLES):
        errors["override_reason"].append(_("Only the branch head can override the timing rules."))
    else:
        return _Override(policy_reason=verdict.reason, by=by)
    return _Override()


def _follow_up_to_close(draft: _Draft, errors: Errors, *, follow_up: FollowUpTask) -> FollowUpTask | None:
    """The follow-up this contact answers, locked: open, on the same case, and not answered
    by a contact from before the promise was found broken."""
    task = (
        FollowUpTask.objects.select_for_update(of=("self",))
        .select_related("promise")
        .filter(pk=follow_up.pk, case=draft.case)
        .first()
    )
    if task is None:
        errors["__all__"].append(_("This follow-up belongs to another case."))
    elif task.done_at is not None:
        errors["__all__"].append(_("This follow-up is already closed."))
    elif (
        task.promise is not None and task.promise.checked_at and draft.contacted_at < task.promise.checked_at
    ):
        errors["contacted_at"].append(
            _("The follow-up was created at %(time)s; a contact before then cannot close it.")
            % {"time": task.promise.checked_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")}
        )
    else:
        return task
    return None


def _set_next_action(
    case: CollectionCase, *, next_step: str, next_step_on: dt.date | None, promise_date: dt.date | None
) -> None:
    if next_step or next_step_on:
        case.next_action = next_step[:200]
        case.next_action_on = next_step_on or promise_date
        case.save(update_fields=["next_action", "next_action_on"])
    elif promise_date:
        case.next_action_on = promise_date
        case.save(update_fields=["next_action_on"])


@transaction.atomic
def contact_log(
    *,
    case: CollectionCase,
    by,
    contacted_at: dt.datetime,
    channel: str,
    party: str,
    outcome: str,
    notes: str = "",
    next_step: str = "",
    next_step_on: dt.date | None = None,
    promise_amount: Decimal | None = None,
    promise_date: dt.date | None = None,
    override_reason: str = "",
    late_entry_reason: str = "",
    follow_up: FollowUpTask | None = None,
    now: dt.datetime | None = None,
) -> ContactAttempt:
    """Log a contact. ``contacted_at`` is when it took place and every rule is checked
    against it; ``now`` (the server's clock) is when it is entered, and is kept.

    Refused: a time in the future, before the borrower's first loan was disbursed or before
    the case was opened; a time longer ago than the branch's late-entry window without a
    late-entry reason (补录). A call or visit at a time the branch's rules forbid is refused,
    with the reason and the next allowed time, unless the branch head overrides it with a
    reason (kept on the record). A promise needs a date not in the past and an amount above
    zero and at most what the borrower owes. Logged for an open ``follow_up`` of the case,
    the contact closes it."""
    override_reason = (override_reason or "").strip()
    late_entry_reason = (late_entry_reason or "").strip()
    if not case.is_open:
        raise ValidationError(_("This case is closed."))
    if not can_act_on_case(by, case):
        raise ValidationError(
            _("Only the assigned officer or the branch head can log contacts on this case.")
        )
    if contacted_at.tzinfo is None:
        contacted_at = contacted_at.replace(tzinfo=SHANGHAI)
    draft = _Draft(
        case=case,
        contacted_at=contacted_at,
        outcome=outcome,
        promise_amount=promise_amount,
        promise_date=promise_date,
        now=now or timezone.now(),
        late_entry_reason=late_entry_reason,
    )
    errors: Errors = defaultdict(list)
    for check in _CONTACT_CHECKS:
        check(draft, errors)
    override = _timing_rules(draft, errors, channel=channel, by=by, override_reason=override_reason)
    if follow_up is not None:
        follow_up = _follow_up_to_close(draft, errors, follow_up=follow_up)
    if errors:
        raise ValidationError(dict(errors))
    contact = ContactAttempt.objects.create(
        case=case,
        officer=by,
        contacted_at=contacted_at,
        channel=channel,
        party=party,
        outcome=outcome,
        notes=notes,
        next_step=next_step,
        next_step_on=next_step_on,
        policy_reason=override.policy_reason,
        override_reason=override_reason if override.by else "",
        overridden_by=override.by,
        entered_at=draft.now,
        late_entry_reason=late_entry_reason,
    )
    if follow_up is not None:
        follow_up.done_at = draft.now
        follow_up.closed_by = by
        follow_up.closed_by_contact = contact
        follow_up.save(update_fields=["done_at", "closed_by", "closed_by_contact"])
    if outcome == Outcome.PROMISE:
        PromiseToPay.objects.create(
            contact=contact,
            case=case,
            officer_id=case.officer_id,
            amount=promise_amount,
            promised_on=contacted_at.astimezone(SHANGHAI).date(),
            due_on=promise_date,
        )
    _set_next_action(case, next_step=next_step, next_step_on=next_step_on, promise_date=promise_date)
    return contact
