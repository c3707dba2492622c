"""Demo risk screening: the default industry policies, a few early-warning signals,
face-signing records for most individual loans (the rest are the gaps), down-payment
receipts for 东湖花园 (some not matching the bank statement) and a run of the
fake-mortgage check. Runs after the ledger and required-action demos; idempotent."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, StaffProfile
from core.demo_output import say
from loans.models import BorrowerType, Loan, LoanStatus
from screening.models import DownPaymentReceipt, EarlyWarningSignal, FaceSigning, SignalKind
from screening.services import (
    down_payment_receipt_record,
    face_signing_record,
    fake_mortgage_check,
    industry_policies_seed,
    signal_raise,
    signal_verify,
)

DEMO_PROJECT = "东湖花园"
DEMO_SIGNALS = [
    (SignalKind.LITIGATION, "high", "借款企业被供应商起诉，涉案金额约80万元。"),
    (SignalKind.ENVIRONMENTAL, "medium", "县环保局通报废水排放超标，责令限期整改。"),
    (SignalKind.FROZEN_ACCOUNT, "high", "企业基本户被法院冻结。"),
    (SignalKind.CASH_FLOW, "low", "近两个月销售回款较去年同期下降三成。"),
]


def seed(*, stdout=None) -> None:
    policies = industry_policies_seed()
    active = Loan.objects.filter(status=LoanStatus.ACTIVE).select_related("borrower", "officer")
    if not active.exists():
        say(stdout, f"screening: {policies} industry policies; no loans yet")
        return
    today = timezone.localdate()
    heads = {
        p.branch_id: p.user for p in StaffProfile.objects.filter(role=Role.BRANCH_HEAD).select_related("user")
    }
    signals = 0
    if not EarlyWarningSignal.objects.exists():
        corporate = list(
            active.filter(borrower__borrower_type=BorrowerType.CORPORATE).order_by("loan_no")[:4]
        )
        candidates = corporate or list(active.order_by("loan_no")[:4])
        for index, (loan, (kind, severity, text)) in enumerate(zip(candidates, DEMO_SIGNALS, strict=False)):
            signal = signal_raise(
                borrower=loan.borrower,
                loan=loan,
                kind=kind,
                severity=severity,
                description=text,
                raised_by=heads.get(loan.branch_id, loan.officer),
                raised_on=max(loan.disbursed_on, today - dt.timedelta(days=3 * index)),
            )
            if index == 3:
                signal_verify(signal=signal, user=loan.officer, result="现场核实：季节性波动，经营正常。")
            signals += 1
    signed = 0
    individual = active.filter(borrower__borrower_type=BorrowerType.INDIVIDUAL, face_signing__isnull=True)
    for index, loan in enumerate(individual.order_by("loan_no")):
        if (loan.pk % 6) == 0:
            continue  # about one in six stays a gap
        face_signing_record(
            loan=loan,
            signed_by=loan.officer,
            signed_on=min(today, loan.disbursed_on - dt.timedelta(days=index % 3)),
            place="衡东支行个贷中心面签室",
            borrower_in_person=True,
            signature_in_person=True,
            originals_seen=True,
            recorded_by=loan.officer,
            note="借款人本人到场，核对身份证、户口簿、购房合同原件。",
        )
        signed += 1
    receipts = 0
    for index, loan in enumerate(active.filter(property_project=DEMO_PROJECT).order_by("loan_no")):
        receipt_no = f"DH-SF-{loan.loan_no[-6:]}"
        if DownPaymentReceipt.objects.filter(loan=loan, receipt_no=receipt_no).exists():
            continue
        amount = (loan.principal * Decimal("0.43")).quantize(Decimal("0.01"))
        # The copied slips of the 2013 case: the statement shows a fraction of the receipt.
        statement = (amount / 10).quantize(Decimal("0.01")) if index % 2 == 0 else amount
        down_payment_receipt_record(
            loan=loan,
            receipt_no=receipt_no,
            paid_on=loan.disbursed_on - dt.timedelta(days=20),
            receipt_amount=amount,
            statement_amount=statement,
            recorded_by=loan.officer,
        )
        receipts += 1
    flags = fake_mortgage_check(as_of=today)
    say(
        stdout,
        f"screening: {policies} industry policies, {signals} signals, {signed} face-signing records "
        f"({FaceSigning.objects.count()} in all), {receipts} down-payment receipts, {len(flags)} project flags",
    )
