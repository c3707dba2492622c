"""Early-warning signals (预警信号): raised, verified on site, closed."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loans.models import Borrower, Loan
from post_loan.models import Trigger
from post_loan.services import action_template_for, required_action_create
from screening.models import EarlyWarningSignal, SignalKind, SignalStatus
from screening.services.stored_text import in_site_language


@transaction.atomic
def signal_raise(
    *,
    borrower: Borrower,
    kind: SignalKind,
    severity: str,
    raised_by,
    raised_on: dt.date,
    description: str = "",
    loan: Loan | None = None,
) -> EarlyWarningSignal:
    """Raise an early-warning signal (预警信号) and create the on-site verification action for
    the officer responsible for the loan (or the borrower)."""
    if loan is not None and loan.borrower_id != borrower.pk:
        raise ValidationError({"loan": _("This loan belongs to another borrower.")})
    if kind == SignalKind.OTHER and not description.strip():
        raise ValidationError({"description": _("Describe the signal.")})
    if raised_on > timezone.localdate():
        raise ValidationError({"raised_on": _("The date cannot be in the future.")})
    responsible = loan.officer if loan is not None else borrower.officer
    signal = EarlyWarningSignal(
        borrower=borrower,
        loan=loan,
        branch_id=borrower.branch_id,
        officer=responsible,
        kind=kind,
        severity=severity,
        description=description.strip(),
        raised_by=raised_by,
        raised_on=raised_on,
    )
    signal.full_clean()
    template = action_template_for(trigger=Trigger.ON_SIGNAL)
    due_on = raised_on + dt.timedelta(days=template.offset_days)
    if loan is not None:
        due_on = max(due_on, loan.disbursed_on)
    action, _created = required_action_create(
        template=template,
        loan=loan,
        subject="" if loan is not None else borrower.name,
        branch=borrower.branch,
        responsible=responsible,
        due_on=due_on,
        reason=in_site_language(
            lambda: _("Early-warning signal: %(kind)s") % {"kind": signal.get_kind_display()}
        ),
    )
    signal.verification_action = action
    signal.save()
    return signal


@transaction.atomic
def signal_verify(*, signal: EarlyWarningSignal, user, result: str) -> EarlyWarningSignal:
    if not result.strip():
        raise ValidationError({"result": _("Write down what the verification found.")})
    if signal.status == SignalStatus.CLOSED:
        raise ValidationError(_("This signal is closed."))
    signal.verification_result = result.strip()
    signal.verified_by = user
    signal.verified_at = timezone.now()
    signal.status = SignalStatus.VERIFIED
    signal.save()
    return signal


@transaction.atomic
def signal_close(*, signal: EarlyWarningSignal, user, note: str) -> EarlyWarningSignal:
    if not note.strip():
        raise ValidationError({"note": _("Say how the signal was resolved.")})
    if signal.status != SignalStatus.VERIFIED:
        raise ValidationError(_("Verify the signal before closing it."))
    signal.closure_note = note.strip()
    signal.closed_by = user
    signal.closed_at = timezone.now()
    signal.status = SignalStatus.CLOSED
    signal.full_clean()
    signal.save()
    return signal
