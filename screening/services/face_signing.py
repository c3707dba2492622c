"""Face-signing records (面签, 三亲见, 谁面签谁负责)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import profile_of
from loans.models import BorrowerType, Loan
from post_loan.services import validate_evidence_file
from screening.models import FaceSigning, FaceSigningAttachment


@transaction.atomic
def face_signing_record(
    *,
    loan: Loan,
    signed_by,
    signed_on: dt.date,
    place: str,
    borrower_in_person: bool,
    signature_in_person: bool,
    originals_seen: bool,
    recorded_by,
    note: str = "",
    files: list[UploadedFile] | None = None,
) -> FaceSigning:
    """Record the face-to-face signing of an individual loan. All three in-person
    confirmations (三亲见) must be ticked; the signing officer is responsible (谁面签谁负责)."""
    if loan.borrower.borrower_type != BorrowerType.INDIVIDUAL:
        raise ValidationError(_("Face-signing records are kept for individual loans only."))
    if FaceSigning.objects.filter(loan=loan).exists():
        raise ValidationError(_("This loan already has a face-signing record."))
    missing = [
        label
        for ticked, label in (
            (borrower_in_person, _("the borrower seen in person")),
            (signature_in_person, _("the signature made in person")),
            (originals_seen, _("the original documents seen")),
        )
        if not ticked
    ]
    if missing:
        raise ValidationError(
            _("All three in-person confirmations (三亲见) are required; missing: %(missing)s.")
            % {"missing": "、".join(missing)}
        )
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    profile = profile_of(signed_by)
    if profile is None or profile.branch_id != loan.branch_id:
        raise ValidationError({"signed_by": _("The signing officer must work at the loan's branch.")})
    files = list(files or [])
    for upload in files:
        validate_evidence_file(upload)
    record = FaceSigning(
        loan=loan,
        signed_by=signed_by,
        signed_on=signed_on,
        place=place.strip(),
        borrower_in_person=borrower_in_person,
        signature_in_person=signature_in_person,
        originals_seen=originals_seen,
        note=note.strip(),
        recorded_by=recorded_by,
    )
    record.full_clean()
    record.save()
    for upload in files:
        FaceSigningAttachment.objects.create(
            record=record, file=upload, original_name=upload.name[:255], size=upload.size
        )
    return record
