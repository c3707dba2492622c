import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import profile_of
from compliance.models import PenaltyKind, Violation, ViolationSource, ViolationStatus


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
