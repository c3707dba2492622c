"""The observation period (观察期) of a restructured loan (2023 classification measures,
art. 19; leaving restructured status, art. 22): the daily check that restarts it after a
missed instalment, and the branch head's review at its end."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loans.domain import first_missed_due_date, observation_exit_missing, observation_window
from loans.models import (
    Loan,
    ObservationRestart,
    RestartReason,
    Restructuring,
    RestructuringStatus,
    ScheduleLine,
)
from loans.services.classification import _can_approve
from loans.services.ledger_changes import ledger_changed
from loans.services.locks import loans_lock


def _restart(restructuring: Restructuring, *, reason: str, after: dt.date, inclusive: bool, by=None, note=""):
    due_dates = list(
        ScheduleLine.objects.filter(loan_id=restructuring.loan_id).values_list("due_on", flat=True)
    )
    start, end = observation_window(due_dates=due_dates, after=after, inclusive=inclusive)
    ObservationRestart.objects.create(
        restructuring=restructuring, reason=reason, starts_on=start, ends_on=end, note=note, recorded_by=by
    )
    restructuring.observation_starts_on, restructuring.observation_ends_on = start, end
    restructuring.save(update_fields=["observation_starts_on", "observation_ends_on"])


def observation_check(*, as_of: dt.date) -> int:
    """The daily job (after the recompute): for each loan in observation, an instalment due
    since the period started and not paid in full and on time restarts the period from its
    due date (art. 19). Running it again changes nothing. Returns how many restarted."""
    open_ids = list(
        Restructuring.objects.filter(status=RestructuringStatus.APPROVED, left_on__isnull=True).values_list(
            "loan_id", flat=True
        )
    )
    if not open_ids:
        return 0
    restarted = 0
    with transaction.atomic():
        loans_lock(loan_ids=open_ids)
        lines_by_loan: dict[int, list] = {}
        for line in ScheduleLine.objects.filter(loan_id__in=open_ids, due_on__lt=as_of):
            lines_by_loan.setdefault(line.loan_id, []).append(line)
        for restructuring in Restructuring.objects.select_for_update().filter(
            loan_id__in=open_ids, status=RestructuringStatus.APPROVED, left_on__isnull=True
        ):
            missed = first_missed_due_date(
                lines_by_loan.get(restructuring.loan_id, []),
                since=restructuring.observation_starts_on,
                as_of=as_of,
            )
            if missed is not None and missed > restructuring.observation_starts_on:
                _restart(restructuring, reason=RestartReason.MISSED_PAYMENT, after=missed, inclusive=True)
                restarted += 1
    return restarted


def restructuring_exit_missing(
    *, restructuring: Restructuring, difficulty_resolved: bool, as_of=None
) -> list[str]:
    """What still keeps the loan restructured (loans.domain.observation_exit_missing)."""
    if not restructuring.in_observation:
        return [_("This restructuring is not in an observation period.")]
    return observation_exit_missing(
        ends_on=restructuring.observation_ends_on,
        as_of=as_of or timezone.localdate(),
        days_past_due=restructuring.loan.days_past_due,
        difficulty_resolved=difficulty_resolved,
    )


def restructuring_review(
    *, restructuring: Restructuring, reviewed_by, resolved: bool, note: str = ""
) -> Restructuring:
    """At the end of the observation period a branch head of the loan's branch records
    whether the debtor's difficulty is resolved (art. 19). Not resolved: the period starts
    again from its end. Resolved, nothing overdue: the loan leaves restructured status and
    its restructuring floor is lifted (art. 22); its class then changes only through the
    classification workflow (an upgrade needs a head's approval)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the debtor's situation stands.")})
    today = timezone.localdate()
    with transaction.atomic():
        loans_lock(loan_ids=[restructuring.loan_id])
        restructuring = (
            Restructuring.objects.select_for_update().select_related("loan").get(pk=restructuring.pk)
        )
        if not _can_approve(reviewed_by, restructuring.loan):
            raise PermissionDenied
        if not restructuring.in_observation:
            raise ValidationError(_("This restructuring is not in an observation period."))
        if today < restructuring.observation_ends_on:
            raise ValidationError(
                _("The observation period runs until %(date)s.")
                % {"date": restructuring.observation_ends_on.isoformat()}
            )
        if not resolved:
            _restart(
                restructuring,
                reason=RestartReason.NOT_RESOLVED,
                after=restructuring.observation_ends_on,
                inclusive=False,
                by=reviewed_by,
                note=note,
            )
            return restructuring
        missing = restructuring_exit_missing(
            restructuring=restructuring, difficulty_resolved=True, as_of=today
        )
        if missing:
            raise ValidationError([_("The loan cannot leave restructured status yet.")] + missing)
        restructuring.left_on, restructuring.left_note = today, note
        restructuring.save(update_fields=["left_on", "left_note"])
        Loan.objects.filter(pk=restructuring.loan_id).update(
            restructured=False, class_floor=1, updated_at=timezone.now()
        )
        ledger_changed(loan_ids=[restructuring.loan_id], as_of=today)
    return restructuring
