"""Writes of the risk screening: industry policies, early-warning signals, face-signing
records, down-payment receipts and the fake-mortgage check."""

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, profile_of, role_of
from accounts.models import Role, StaffProfile
from loans.domain import normalise_industry_code
from loans.models import Borrower, BorrowerType, Guarantee, IndustryPolicy, Loan, LoanStatus, Product
from post_loan.models import Trigger
from post_loan.services import action_template_for, required_action_create, validate_evidence_file
from screening.defaults import DEFAULT_POLICIES
from screening.models import (
    DownPaymentReceipt,
    EarlyWarningSignal,
    FaceSigning,
    FaceSigningAttachment,
    FlagKind,
    ProjectFlag,
    SignalKind,
    SignalStatus,
)

# A project is flagged when at least this share of its mortgage borrowers work for its own
# developer, and it has at least FAKE_MORTGAGE_MIN_BORROWERS of them (one staff buyer is normal).
FAKE_MORTGAGE_EMPLOYER_SHARE = Decimal(str(getattr(settings, "FAKE_MORTGAGE_EMPLOYER_SHARE", "0.5")))
FAKE_MORTGAGE_MIN_BORROWERS = 3


def _stored(text) -> str:
    """Texts stored for everyone (an action's reason) are in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text())


@transaction.atomic
def industry_policy_save(*, policy: IndustryPolicy, user) -> IndustryPolicy:
    if role_of(user) not in APPROVER_ROLES:
        raise ValidationError(_("Only the branch head can edit the industry policy list."))
    policy.code = normalise_industry_code(policy.code)
    if not re.fullmatch(r"[A-T][0-9]{0,4}", policy.code):
        raise ValidationError(
            {"code": _("A GB/T 4754 code is a section letter A–T and up to four digits, e.g. C26 or C2614.")}
        )
    policy.updated_by = user
    policy.full_clean()
    policy.save()
    return policy


# --- Early-warning signals ---------------------------------------------------------------


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
        reason=_stored(lambda: _("Early-warning signal: %(kind)s") % {"kind": signal.get_kind_display()}),
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


# --- Face signing -------------------------------------------------------------------------


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


# --- Fake-mortgage check ----------------------------------------------------------------------


@transaction.atomic
def down_payment_receipt_record(
    *,
    loan: Loan,
    receipt_no: str,
    paid_on: dt.date,
    receipt_amount: Decimal,
    statement_amount: Decimal | None,
    recorded_by,
) -> DownPaymentReceipt:
    if not loan.property_project:
        raise ValidationError({"loan": _("This loan has no property project.")})
    if DownPaymentReceipt.objects.filter(loan=loan, receipt_no=receipt_no.strip()).exists():
        raise ValidationError({"receipt_no": _("This receipt is already recorded for the loan.")})
    receipt = DownPaymentReceipt(
        loan=loan,
        receipt_no=receipt_no.strip(),
        paid_on=paid_on,
        receipt_amount=receipt_amount,
        statement_amount=statement_amount,
        recorded_by=recorded_by,
    )
    receipt.full_clean()
    receipt.save()
    return receipt


_COMPANY_NOISE = re.compile(r"[\s()（）·.,，]")


def employer_matches_developer(employer: str, developer: str) -> bool:
    """Same company, allowing spacing and brackets and a shortened name (东湖房地产 within
    衡东县东湖房地产开发有限公司)."""
    a, b = _COMPANY_NOISE.sub("", employer or ""), _COMPANY_NOISE.sub("", developer or "")
    if len(a) < 4 or len(b) < 4:
        return False
    return a == b or a in b or b in a


def _heads_by_branch(branch_ids) -> dict[int, object]:
    heads = {}
    for profile in StaffProfile.objects.filter(
        branch_id__in=branch_ids, role=Role.BRANCH_HEAD
    ).select_related("user"):
        heads.setdefault(profile.branch_id, profile.user)
    return heads


def fake_mortgage_check(*, as_of: dt.date, branch_ids: set[int] | None = None) -> list[ProjectFlag]:
    """Flag property projects showing the fake-mortgage pattern (假按揭) and give each new
    flag a verification action for the branch head. Returns the flags raised or refreshed.

    1. A large share (FAKE_MORTGAGE_EMPLOYER_SHARE) of the project's mortgage borrowers work
       for the project's own developer.
    2. A down-payment receipt's amount differs from the amount on its bank statement.
    Running it again refreshes the evidence and creates no second flag or action.
    """
    loans = (
        Loan.objects.exclude(property_project="")
        .filter(Q(product=Product.HOUSING) | Q(guarantee=Guarantee.MORTGAGE))
        .exclude(status=LoanStatus.WRITTEN_OFF)
    )
    if branch_ids is not None:
        loans = loans.filter(branch_id__in=branch_ids)
    projects: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for row in loans.values(
        "id",
        "loan_no",
        "branch_id",
        "property_project",
        "developer",
        "borrower_id",
        "borrower__name",
        "borrower__employer",
    ):
        projects[(row["branch_id"], row["property_project"].strip())].append(row)
    found: list[tuple[int, str, str, FlagKind, dict]] = []
    for (branch_id, project), rows in projects.items():
        developer = Counter(r["developer"] for r in rows if r["developer"]).most_common(1)
        developer = developer[0][0] if developer else ""
        borrowers = {r["borrower_id"]: r for r in rows}
        matching = [
            r for r in borrowers.values() if employer_matches_developer(r["borrower__employer"], developer)
        ]
        total = len(borrowers)
        if (
            total >= FAKE_MORTGAGE_MIN_BORROWERS
            and Decimal(len(matching)) >= FAKE_MORTGAGE_EMPLOYER_SHARE * total
        ):
            evidence = {
                "borrowers": total,
                "working_for_developer": len(matching),
                "share_percent": round(100 * len(matching) / total, 1),
                "threshold_percent": float(FAKE_MORTGAGE_EMPLOYER_SHARE * 100),
                "examples": [
                    {
                        "loan_no": r["loan_no"],
                        "borrower": r["borrower__name"],
                        "employer": r["borrower__employer"],
                    }
                    for r in matching[:20]
                ],
            }
            found.append((branch_id, project, developer, FlagKind.EMPLOYER_IS_DEVELOPER, evidence))
    mismatches: dict[tuple[int, str], list[dict]] = defaultdict(list)
    receipts = (
        DownPaymentReceipt.objects.filter(loan__in=loans, statement_amount__isnull=False)
        .select_related("loan", "loan__borrower")
        .order_by("loan__loan_no", "receipt_no")
    )
    for receipt in receipts:
        if receipt.mismatched:
            mismatches[(receipt.loan.branch_id, receipt.loan.property_project.strip())].append(
                {
                    "loan_no": receipt.loan.loan_no,
                    "borrower": receipt.loan.borrower.name,
                    "receipt_no": receipt.receipt_no,
                    "receipt_amount": str(receipt.receipt_amount),
                    "statement_amount": str(receipt.statement_amount),
                }
            )
    for (branch_id, project), items in mismatches.items():
        developer = next(
            (r["developer"] for r in projects.get((branch_id, project), []) if r["developer"]), ""
        )
        found.append((branch_id, project, developer, FlagKind.RECEIPT_MISMATCH, {"mismatches": items}))
    heads = _heads_by_branch({branch_id for branch_id, *_rest in found})
    template = action_template_for(trigger=Trigger.ON_PROJECT_FLAG) if found else None
    flags = []
    for branch_id, project, developer, kind, evidence in found:
        with transaction.atomic():
            flag, created = ProjectFlag.objects.select_for_update().get_or_create(
                branch_id=branch_id,
                project=project,
                kind=kind,
                defaults={"developer": developer, "evidence": evidence, "flagged_on": as_of},
            )
            if not created:
                flag.evidence, flag.developer = evidence, developer
            if flag.verification_action_id is None and branch_id in heads:
                flag.verification_action, _created = required_action_create(
                    template=template,
                    subject=f"{project}（{developer}）" if developer else project,
                    branch=flag.branch,
                    responsible=heads[branch_id],
                    due_on=as_of + dt.timedelta(days=template.offset_days),
                    reason=_stored(lambda flag=flag: str(flag.get_kind_display())),
                )
            flag.save()
        flags.append(flag)
    return flags


def industry_policies_seed() -> int:
    """Create the default policies that are missing; edited ones are left alone."""
    created = 0
    for code, name, level, reason, source in DEFAULT_POLICIES:
        _policy, was_created = IndustryPolicy.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "reason": reason, "source": source}
        )
        created += was_created
    return created
