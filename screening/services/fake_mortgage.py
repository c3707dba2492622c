"""The fake-mortgage check (假按揭): down-payment receipts and the projects whose buyers
work for the developer."""

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Role, StaffProfile
from loans.models import Guarantee, Loan, LoanStatus, Product
from post_loan.models import Trigger
from post_loan.services import action_template_for, required_action_create
from screening.models import DownPaymentReceipt, FlagKind, ProjectFlag
from screening.services.stored_text import in_site_language

# A project is flagged when at least this share of its mortgage borrowers work for its own
# developer, and it has at least FAKE_MORTGAGE_MIN_BORROWERS of them (one staff buyer is normal).
FAKE_MORTGAGE_EMPLOYER_SHARE = Decimal(str(getattr(settings, "FAKE_MORTGAGE_EMPLOYER_SHARE", "0.5")))
FAKE_MORTGAGE_MIN_BORROWERS = 3


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
                    reason=in_site_language(lambda flag=flag: str(flag.get_kind_display())),
                )
            flag.save()
        flags.append(flag)
    return flags
