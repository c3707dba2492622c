"""Demo post-loan records on top of the demo ledger.

The ledger itself (about 1,200 loans, balances, days past due) comes from the core-banking
import demo (app ledger_import), which must run before this seed; without loans this seed
does nothing. On those loans it adds, idempotently: repayment schedules, a year of
repayment history consistent with them (recorded as already reflected in the imported
balances: rows and paid instalments written directly, never through repayment_record, so
no balance changes), collateral for mortgage loans, guarantors for guaranteed loans and a
few classification changes, one of them an upgrade waiting for the branch head. It never
makes a loan non-performing.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, StaffProfile
from core.demo_output import say
from loans.domain import RiskClass
from loans.identifiers import make_resident_id
from loans.models import (
    BorrowerType,
    ChangeKind,
    ChangeStatus,
    ClassificationChange,
    Collateral,
    CollateralKind,
    Guarantee,
    Guarantor,
    Loan,
    LoanStatus,
    Product,
    Repayment,
    RepaymentSource,
    ScheduleLine,
)
from loans.services import classification_propose, schedules_on_ledger_changed

GUARANTOR_NAMES = [
    "陈志刚",
    "罗美兰",
    "谭建华",
    "彭国庆",
    "刘小红",
    "邓伟民",
    "曾凡荣",
    "廖春花",
    "蒋海波",
    "胡桂英",
]
RELATIONS = ["配偶", "父母", "兄弟姐妹", "朋友", "同事", "关联企业"]
COLLATERAL_BY_PRODUCT = {
    Product.HOUSING: (CollateralKind.HOUSE, "{project}住宅一套"),
    Product.PERSONAL_BUSINESS: (CollateralKind.COMMERCIAL, "衡东县城关镇临街商铺"),
    Product.WORKING_CAPITAL: (CollateralKind.LAND, "衡东县工业园国有建设用地使用权"),
    Product.FIXED_ASSET: (CollateralKind.EQUIPMENT, "生产线机器设备一套"),
    Product.CONSUMER: (CollateralKind.HOUSE, "衡东县城关镇住宅一套"),
}


def _schedules(today: dt.date) -> int:
    # Demo loans are core-banking loans: their figures are as of the import.
    Loan.objects.filter(as_of__isnull=True).update(as_of=today)
    ids = list(Loan.objects.values_list("id", flat=True))
    return schedules_on_ledger_changed(loan_ids=ids, as_of=today)


def _demo_repayment(*, loan_id, loan_no, seq, paid_on, principal, interest) -> Repayment:
    """The repayment of one demo instalment; its reference makes it once per instalment."""
    return Repayment(
        loan_id=loan_id,
        paid_on=paid_on,
        principal=principal,
        interest=interest,
        source=RepaymentSource.IMPORT,
        reference=f"DEMO-{loan_no}-{seq:03d}",
    )


def _history(today: dt.date) -> int:
    """A repayment row for every instalment of the last year that the schedule shows paid."""
    year_ago = today - dt.timedelta(days=365)
    lines = ScheduleLine.objects.filter(
        due_on__gte=year_ago, due_on__lt=today, paid_on__isnull=False, loan__status=LoanStatus.ACTIVE
    ).values_list("loan_id", "loan__loan_no", "seq", "paid_on", "principal_paid", "interest_paid")
    rows = [
        _demo_repayment(
            loan_id=loan_id, loan_no=loan_no, seq=seq, paid_on=paid_on, principal=principal, interest=interest
        )
        for loan_id, loan_no, seq, paid_on, principal, interest in lines.iterator(chunk_size=5000)
        if principal > 0 or interest > 0
    ]
    created = Repayment.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(created)


def _collateral(rng: random.Random) -> int:
    loans = Loan.objects.filter(guarantee=Guarantee.MORTGAGE, collateral__isnull=True)
    items = []
    for loan in loans:
        kind, description = COLLATERAL_BY_PRODUCT.get(loan.product, (CollateralKind.OTHER, "抵押物"))
        ratio = Decimal(rng.choice(["0.55", "0.6", "0.65", "0.7"]))
        items.append(
            Collateral(
                loan=loan,
                kind=kind,
                description=description.format(project=loan.property_project or "衡东县城关镇"),
                appraised_value=(loan.principal / ratio).quantize(Decimal("100")),
                appraised_on=loan.disbursed_on - dt.timedelta(days=rng.randint(7, 30)),
                registration_no=f"湘({loan.disbursed_on.year})衡东县不动产权第{loan.pk:07d}号",
            )
        )
    Collateral.objects.bulk_create(items)
    return len(items)


def _guarantors(rng: random.Random) -> int:
    loans = Loan.objects.filter(guarantee=Guarantee.SURETY, guarantors__isnull=True)
    items = []
    for loan in loans:
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 35))
        items.append(
            Guarantor(
                loan=loan,
                guarantor_type=BorrowerType.INDIVIDUAL,
                name=rng.choice(GUARANTOR_NAMES),
                id_number=make_resident_id("430424", birth, loan.pk),
                relation=rng.choice(RELATIONS),
                phone=f"139{rng.randint(0, 99_999_999):08d}",
            )
        )
    Guarantor.objects.bulk_create(items, ignore_conflicts=True)
    return len(items)


def _classification_changes() -> int:
    """Two downgrades to 关注 with reasons, and one upgrade back to 正常 that waits for the
    branch head (another officer proposes it, so the branch head may approve)."""
    if ClassificationChange.objects.filter(
        kind__in=[ChangeKind.PROPOSED_WORSE, ChangeKind.PROPOSED_BETTER]
    ).exists():
        return 0
    officers = {profile.user_id: profile.user for profile in StaffProfile.objects.filter(role=Role.OFFICER)}
    candidates = list(
        Loan.objects.filter(
            status=LoanStatus.ACTIVE, risk_class=RiskClass.NORMAL, days_past_due=0, officer_id__in=officers
        ).order_by("loan_no")[:3]
    )
    reasons = [
        "借款人经营的门店客流下降，收入不稳定，下调为关注类持续跟踪。",
        "保证人近期涉诉，担保能力下降，下调为关注类。",
        "借款人工作单位变动，收入证明待补充，下调为关注类。",
    ]
    count = 0
    for loan, reason in zip(candidates, reasons, strict=False):
        classification_propose(
            loan=loan,
            to_class=RiskClass.SPECIAL_MENTION,
            reason=reason,
            proposed_by=officers[loan.officer_id],
        )
        count += 1
    if candidates:
        loan = candidates[0]
        classification_propose(
            loan=loan,
            to_class=RiskClass.NORMAL,
            reason="借款人已补充新的经营流水，近三期按时还款，建议恢复为正常类。",
            proposed_by=officers[loan.officer_id],
        )
        count += 1
    return count


def seed(*, stdout=None) -> None:
    if not Loan.objects.exists():
        say(stdout, "loans: no demo ledger yet; schedules and history skipped")
        return
    today = timezone.localdate()
    rng = random.Random(20140630)  # the story's half-year end: the demo is the same every run
    with transaction.atomic():
        scheduled = _schedules(today)
        repayments = _history(today)
        collateral = _collateral(rng)
        guarantors = _guarantors(rng)
        changes = _classification_changes()
    pending = ClassificationChange.objects.filter(status=ChangeStatus.PENDING).count()
    say(
        stdout,
        f"loans: schedules for {scheduled} loans, {repayments} repayments, {collateral} collateral, "
        f"{guarantors} guarantors, {changes} class changes ({pending} pending approval)",
    )


def bring_current(*, today: dt.date) -> int:
    """The demo's loans that were current at the import go on paying on time: every
    instalment due since then, up to ``today``, is paid on its due date (a repayment row,
    the line marked paid, the balance lowered). Without this the daily recompute would find
    a month of unpaid instalments on every demo loan. Loans overdue at the import stay
    overdue, for collection to work on. Safe to run again: paid lines are skipped.

    Run last of the demo (by the dashboard's seed, after it has taken the month-end
    snapshot from the imported figures)."""
    lines = list(
        ScheduleLine.objects.filter(
            paid_on__isnull=True,
            due_on__lte=today,
            loan__status=LoanStatus.ACTIVE,
            loan__days_past_due=0,
        ).values_list(
            "id",
            "loan_id",
            "loan__loan_no",
            "seq",
            "due_on",
            "principal_due",
            "interest_due",
            "principal_paid",
            "interest_paid",
        )
    )
    repayments, principal_by_loan = [], {}
    for (
        _id,
        loan_id,
        loan_no,
        seq,
        due_on,
        principal_due,
        interest_due,
        principal_paid,
        interest_paid,
    ) in lines:
        principal, interest = principal_due - principal_paid, interest_due - interest_paid
        if principal <= 0 and interest <= 0:
            continue
        repayments.append(
            _demo_repayment(
                loan_id=loan_id,
                loan_no=loan_no,
                seq=seq,
                paid_on=due_on,
                principal=principal,
                interest=interest,
            )
        )
        principal_by_loan[loan_id] = principal_by_loan.get(loan_id, 0) + principal
    with transaction.atomic():
        Repayment.objects.bulk_create(repayments, batch_size=5000, ignore_conflicts=True)
        ScheduleLine.objects.filter(id__in=[line[0] for line in lines]).update(
            principal_paid=F("principal_due"), interest_paid=F("interest_due"), paid_on=F("due_on")
        )
        if principal_by_loan:
            # One statement: the history triggers run once, not once per loan.
            values = ", ".join(["(%s, %s::numeric)"] * len(principal_by_loan))
            params = [item for pair in principal_by_loan.items() for item in pair]
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE loans_loan SET balance = GREATEST(loans_loan.balance - v.amount, 0) "  # noqa: S608
                    f"FROM (VALUES {values}) AS v(id, amount) WHERE loans_loan.id = v.id",
                    params,
                )
        Loan.objects.filter(pk__in=list(principal_by_loan), balance=0).update(status=LoanStatus.SETTLED)
    return len(repayments)
