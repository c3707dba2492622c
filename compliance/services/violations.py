"""Violations and their penalties in a member of staff's compliance record: raised by
other apps' jobs, or recorded, approved, withdrawn and appealed by hand."""

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import OVERSIGHT_ROLES, profile_of, role_of, visible_branch_ids
from accounts.models import Role
from compliance.models import PenaltyKind, Regulation, Violation, ViolationSource, ViolationStatus


@transaction.atomic
def violation_raise(
    *,
    staff,
    occurred_on: dt.date,
    rule: str,
    source: ViolationSource,
    description: str = "",
    penalty_kind: PenaltyKind = PenaltyKind.CRITICISM,
    fine_amount: Decimal | None = None,
    score_deduction: Decimal = Decimal("0"),
    source_object: models.Model | None = None,
    recorded_by=None,
    approved_by=None,
) -> Violation:
    """Record a violation in ``staff``'s compliance record.

    Without ``approved_by`` it waits as pending for the branch head or the compliance
    officer; with one it is approved at once. Raising it again for the same
    ``source_object`` returns the existing record (jobs may run twice).
    """
    profile = profile_of(staff)
    if profile is None:
        raise ValidationError(_("Only staff with a staff profile can have a compliance record."))
    if penalty_kind == PenaltyKind.FINE and not fine_amount:
        raise ValidationError({"fine_amount": _("A fine needs its amount.")})
    if source_object is not None:
        content_type = ContentType.objects.get_for_model(source_object)
        existing = Violation.objects.filter(
            staff=staff, source_content_type=content_type, source_object_id=source_object.pk
        ).first()
        if existing:
            return existing
    violation = Violation(
        staff=staff,
        branch=profile.branch,
        occurred_on=occurred_on,
        rule=rule,
        description=description,
        source=source,
        penalty_kind=penalty_kind,
        fine_amount=fine_amount,
        score_deduction=score_deduction,
        recorded_by=recorded_by,
        source_object=source_object,
    )
    if approved_by is not None:
        violation.status = ViolationStatus.APPROVED
        violation.approved_by = approved_by
        violation.approved_at = timezone.now()
    violation.full_clean()
    violation.save()
    return violation


# Who may record, approve or withdraw a penalty.


def _require_approver(approver, *, branch_id: int) -> None:
    if approver is None:
        raise ValidationError(
            {"approved_by": _("A penalty needs an approver (the branch head or a compliance officer).")}
        )
    if role_of(approver) not in OVERSIGHT_ROLES:
        raise ValidationError(
            {"approved_by": _("Only the branch head or a compliance officer can approve a penalty.")}
        )
    if role_of(approver) != Role.ADMIN and branch_id not in visible_branch_ids(approver):
        raise ValidationError({"approved_by": _("The approver must belong to the staff member's branch.")})


@transaction.atomic
def violation_record(
    *,
    staff,
    recorded_by,
    approved_by,
    occurred_on: dt.date,
    rule: str,
    source: ViolationSource,
    regulation: Regulation | None = None,
    description: str = "",
    penalty_kind: PenaltyKind = PenaltyKind.CRITICISM,
    fine_amount: Decimal | None = None,
    score_deduction: Decimal = Decimal("0"),
) -> Violation:
    """A penalty recorded by a compliance officer or the branch head: approved at once,
    so it must name its approver."""
    profile = profile_of(staff)
    if profile is None:
        raise ValidationError(_("Only staff with a staff profile can have a compliance record."))
    _require_approver(approved_by, branch_id=profile.branch_id)
    violation = violation_raise(
        staff=staff,
        occurred_on=occurred_on,
        rule=rule,
        source=source,
        description=description,
        penalty_kind=penalty_kind,
        fine_amount=fine_amount,
        score_deduction=score_deduction,
        recorded_by=recorded_by,
        approved_by=approved_by,
    )
    if regulation is not None:
        violation.regulation = regulation
        violation.save(update_fields=["regulation"])
    return violation


def _pending(violation_id: int) -> Violation:
    violation = Violation.objects.select_for_update().get(pk=violation_id)
    if violation.status != ViolationStatus.PENDING:
        raise ValidationError(_("Only a pending violation can be approved or withdrawn."))
    return violation


@transaction.atomic
def violation_approve(*, violation: Violation, approved_by) -> Violation:
    violation = _pending(violation.pk)
    _require_approver(approved_by, branch_id=violation.branch_id)
    violation.status = ViolationStatus.APPROVED
    violation.approved_by = approved_by
    violation.approved_at = timezone.now()
    violation.save(update_fields=["status", "approved_by", "approved_at"])
    return violation


@transaction.atomic
def violation_withdraw(*, violation: Violation, withdrawn_by) -> Violation:
    violation = _pending(violation.pk)
    _require_approver(withdrawn_by, branch_id=violation.branch_id)
    violation.status = ViolationStatus.WITHDRAWN
    violation.save(update_fields=["status"])
    return violation


@transaction.atomic
def violation_appeal(*, violation: Violation, staff, note: str) -> Violation:
    """The staff member's own appeal note (申诉); only they may write it."""
    if violation.staff_id != staff.pk:
        raise ValidationError(_("Only the staff member concerned can appeal a violation."))
    note = note.strip()
    if not note:
        raise ValidationError({"appeal_note": _("Write what you want to appeal.")})
    if violation.status == ViolationStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn violation needs no appeal."))
    violation.appeal_note = note
    violation.appealed_at = timezone.now()
    violation.save(update_fields=["appeal_note", "appealed_at"])
    return violation
