"""Completion of an action: the record its template asks for, and the evidence files."""

import datetime as dt
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from post_loan.models import (
    OPEN_STATUSES,
    ActionEvidence,
    ActionStatus,
    RecordField,
    RequiredAction,
    ReviewStatus,
)
from post_loan.services.heads import is_head_for

# Evidence files: scans, photos (HEIC/HEIF is what an iPhone's camera saves) and office documents.
EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".heic", ".heif", ".gif", ".doc", ".docx", ".xls", ".xlsx", ".txt"}
)


def validate_evidence_file(upload: UploadedFile) -> None:
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                "files": _("%(name)s: only these file types are accepted: %(types)s.")
                % {"name": upload.name, "types": ", ".join(sorted(EVIDENCE_EXTENSIONS))}
            }
        )
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            {
                "files": _("%(name)s is larger than the %(limit)s MB allowed.")
                % {"name": upload.name, "limit": settings.MAX_UPLOAD_SIZE // (1024 * 1024)}
            }
        )


TEXT_RECORD_FIELDS = {
    RecordField.FINDINGS: "findings",
    RecordField.CASH_FLOW: "cash_flow_notes",
    RecordField.OPERATIONS: "operations_notes",
    RecordField.ENVIRONMENT: "environment_notes",
    RecordField.MARKET: "market_notes",
}
YES_NO_RECORD_FIELDS = {RecordField.SITE_VISIT: "site_visit", RecordField.COLLATERAL_SEEN: "collateral_seen"}


@transaction.atomic
def required_action_complete(
    *,
    action: RequiredAction,
    user,
    completed_on: dt.date,
    findings: str = "",
    site_visit: bool | None = None,
    collateral_seen: bool | None = None,
    cash_flow_notes: str = "",
    operations_notes: str = "",
    environment_notes: str = "",
    market_notes: str = "",
    files: list[UploadedFile] | None = None,
) -> RequiredAction:
    """Record the completion of an action by its first responsible person (or the branch
    head). Every field the template requires must be filled; nothing is saved otherwise."""
    action = (
        RequiredAction.objects.select_for_update(of=("self",)).select_related("template").get(pk=action.pk)
    )
    _check_may_complete(action, user=user, completed_on=completed_on)
    files = list(files or [])
    values = {
        "findings": findings.strip(),
        "cash_flow_notes": cash_flow_notes.strip(),
        "operations_notes": operations_notes.strip(),
        "environment_notes": environment_notes.strip(),
        "market_notes": market_notes.strip(),
        "site_visit": site_visit,
        "collateral_seen": collateral_seen,
    }
    _check_required_fields(action, values=values, files=files)
    for upload in files:
        validate_evidence_file(upload)
    _record_completion(action, user=user, completed_on=completed_on, values=values)
    for upload in files:
        ActionEvidence.objects.create(
            action=action, file=upload, original_name=upload.name[:255], size=upload.size, uploaded_by=user
        )
    return action


def _check_may_complete(action: RequiredAction, *, user, completed_on: dt.date) -> None:
    """Only the responsible person or the branch head, only an open action, and a date
    between the disbursement and today."""
    if user.pk != action.responsible_id and not is_head_for(user, action):
        raise ValidationError(
            _("This action is assigned to another person; only they or the branch head can complete it.")
        )
    if action.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This action is already %(status)s.") % {"status": action.get_status_display()}
        )
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    if action.loan_id and completed_on < action.loan.disbursed_on:
        raise ValidationError({"completed_on": _("The completion date is before the loan was disbursed.")})


def _missing_field_error(action: RequiredAction, required: str, *, values: dict, files: list) -> tuple | None:
    """(form field, message) when the record lacks what the template requires, else None."""
    if required in TEXT_RECORD_FIELDS and not values[TEXT_RECORD_FIELDS[required]]:
        return TEXT_RECORD_FIELDS[required], _("This action's template requires this field.")
    if required in YES_NO_RECORD_FIELDS and values[YES_NO_RECORD_FIELDS[required]] is None:
        return YES_NO_RECORD_FIELDS[required], _("This action's template requires an answer here.")
    if required == RecordField.ATTACHMENTS and not files and not action.evidence.exists():
        return "files", _("This action's template requires at least one evidence file.")
    return None


def _check_required_fields(action: RequiredAction, *, values: dict, files: list) -> None:
    errors = {}
    for required in action.template.required_fields:
        missing = _missing_field_error(action, required, values=values, files=files)
        if missing is not None:
            errors[missing[0]] = missing[1]
    if errors:
        raise ValidationError(errors)


def _record_completion(action: RequiredAction, *, user, completed_on: dt.date, values: dict) -> None:
    for name, value in values.items():
        setattr(action, name, value)
    action.status = ActionStatus.DONE
    action.completed_on = completed_on
    action.completed_on_time = completed_on <= action.effective_due_on
    action.completed_by = user
    action.completed_at = timezone.now()
    action.review_status = ReviewStatus.NONE
    action.full_clean(validate_unique=False)
    action.save()
