import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from loans.factories import IndustryPolicyFactory
from loans.models import BorrowerType, Guarantee, PolicyLevel, Product
from loans.selectors import industry_policy_for
from post_loan.models import RequiredAction, Trigger
from screening.factories import DownPaymentReceiptFactory
from screening.models import FaceSigning, FlagKind, ProjectFlag, SignalKind, SignalStatus
from screening.selectors import face_signing_gaps_visible_to
from screening.services import (
    employer_matches_developer,
    face_signing_record,
    fake_mortgage_check,
    industry_policies_seed,
    signal_close,
    signal_raise,
    signal_verify,
)

TODAY = dt.date(2026, 11, 20)
DEVELOPER = "衡东县东湖房地产开发有限公司"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        yield


def test_policy_for_a_code_is_found_by_longest_prefix(db):
    IndustryPolicyFactory(code="C26", level=PolicyLevel.RESTRICTED)
    IndustryPolicyFactory(code="C2625", name="有机肥料", level=PolicyLevel.ALLOWED)
    result = industry_policy_for({"C2614", "C2625", "c 26", "A01"})
    assert result["C2614"].code == "C26" and result["C2625"].level == PolicyLevel.ALLOWED
    assert result["c 26"].code == "C26" and "A01" not in result


def test_seeded_policies_restrict_chemicals_and_prohibit_private_fund_raising(db):
    industry_policies_seed()
    result = industry_policy_for({"C2614", "J6990"})
    assert result["C2614"].level == PolicyLevel.RESTRICTED
    assert result["J6990"].level == PolicyLevel.PROHIBITED and "集资" in result["J6990"].reason
    assert industry_policies_seed() == 0


def test_raising_a_signal_creates_an_onsite_verification_for_the_responsible_officer(
    officer, branch_head, loan_of
):
    loan = loan_of(officer)
    signal = signal_raise(
        borrower=loan.borrower,
        loan=loan,
        kind=SignalKind.LITIGATION,
        severity="high",
        raised_by=branch_head,
        raised_on=TODAY,
    )
    action = signal.verification_action
    assert action.responsible == officer and action.loan == loan
    assert action.template.trigger == Trigger.ON_SIGNAL and action.due_on == TODAY + dt.timedelta(days=5)


def test_a_signal_on_a_borrower_without_a_loan_names_the_borrower(officer, loan_of):
    borrower = loan_of(officer).borrower
    signal = signal_raise(
        borrower=borrower,
        kind=SignalKind.FROZEN_ACCOUNT,
        severity="medium",
        raised_by=officer,
        raised_on=TODAY,
    )
    assert signal.verification_action.subject == borrower.name and signal.verification_action.loan is None


def test_a_free_text_signal_needs_a_description(officer, loan_of):
    borrower = loan_of(officer).borrower
    with pytest.raises(ValidationError, match="请描述"):
        signal_raise(
            borrower=borrower, kind=SignalKind.OTHER, severity="low", raised_by=officer, raised_on=TODAY
        )
    assert not RequiredAction.objects.exists()


def test_signal_is_verified_then_closed(officer, loan_of):
    borrower = loan_of(officer).borrower
    signal = signal_raise(
        borrower=borrower, kind=SignalKind.CASH_FLOW, severity="low", raised_by=officer, raised_on=TODAY
    )
    with pytest.raises(ValidationError):
        signal_close(signal=signal, user=officer, note="x")
    signal_verify(signal=signal, user=officer, result="销售回款季节性下降")
    signal_close(signal=signal, user=officer, note="已恢复")
    assert signal.status == SignalStatus.CLOSED


def test_face_signing_record_makes_the_signer_responsible(officer, loan_of):
    loan = loan_of(officer)
    record = face_signing_record(
        loan=loan,
        signed_by=officer,
        signed_on=TODAY,
        place="衡东支行营业厅",
        borrower_in_person=True,
        signature_in_person=True,
        originals_seen=True,
        recorded_by=officer,
    )
    assert record.signed_by == officer
    assert not face_signing_gaps_visible_to(officer).filter(pk=loan.pk).exists()


def test_a_face_signing_record_missing_a_tick_is_refused(officer, loan_of):
    loan = loan_of(officer)
    with pytest.raises(ValidationError, match="三亲见.*亲见原件"):
        face_signing_record(
            loan=loan,
            signed_by=officer,
            signed_on=TODAY,
            place="营业厅",
            borrower_in_person=True,
            signature_in_person=True,
            originals_seen=False,
            recorded_by=officer,
        )
    assert not FaceSigning.objects.exists()
    assert face_signing_gaps_visible_to(officer).filter(pk=loan.pk).exists()


def test_face_signing_is_for_individual_loans_only(officer, loan_of):
    loan = loan_of(
        officer, borrower__borrower_type=BorrowerType.CORPORATE, borrower__id_number="91430424000000000X"
    )
    with pytest.raises(ValidationError, match="个人贷款"):
        face_signing_record(
            loan=loan,
            signed_by=officer,
            signed_on=TODAY,
            place="x",
            borrower_in_person=True,
            signature_in_person=True,
            originals_seen=True,
            recorded_by=officer,
        )


def test_employer_matching_allows_short_names_and_brackets():
    assert employer_matches_developer("东湖房地产", DEVELOPER)
    assert employer_matches_developer("衡东县东湖房地产开发有限公司（销售部）", DEVELOPER)
    assert employer_matches_developer(" 衡东县东湖房地产开发有限公司 ", DEVELOPER)
    assert not employer_matches_developer("衡东县人民医院", DEVELOPER)


def _mortgage(loan_of, officer, employer):
    return loan_of(
        officer,
        product=Product.HOUSING,
        guarantee=Guarantee.MORTGAGE,
        property_project="东湖花园",
        developer=DEVELOPER,
        borrower__employer=employer,
    )


def test_project_whose_buyers_work_for_the_developer_is_flagged_once(officer, branch_head, loan_of):
    for _index in range(4):
        _mortgage(loan_of, officer, DEVELOPER)
    _mortgage(loan_of, officer, "衡东县第一中学")
    flags = fake_mortgage_check(as_of=TODAY)
    assert [(f.project, f.kind) for f in flags] == [("东湖花园", FlagKind.EMPLOYER_IS_DEVELOPER)]
    flag = flags[0]
    assert flag.evidence["working_for_developer"] == 4 and flag.evidence["share_percent"] == 80.0
    assert flag.verification_action.responsible == branch_head
    fake_mortgage_check(as_of=TODAY + dt.timedelta(days=1))
    assert ProjectFlag.objects.count() == 1
    assert RequiredAction.objects.filter(template__trigger=Trigger.ON_PROJECT_FLAG).count() == 1


def test_project_with_few_developer_staff_is_not_flagged(officer, branch_head, loan_of):
    _mortgage(loan_of, officer, DEVELOPER)
    for _index in range(4):
        _mortgage(loan_of, officer, "衡东县人民医院")
    assert fake_mortgage_check(as_of=TODAY) == []


def test_down_payment_receipt_not_matching_the_statement_flags_the_project(officer, branch_head, loan_of):
    loan = _mortgage(loan_of, officer, "衡东县人民医院")
    DownPaymentReceiptFactory(
        loan=loan, receipt_amount=Decimal("150000.00"), statement_amount=Decimal("15000.00")
    )
    DownPaymentReceiptFactory(
        loan=loan, receipt_amount=Decimal("5000.00"), statement_amount=Decimal("5000.00")
    )
    flags = fake_mortgage_check(as_of=TODAY)
    assert [f.kind for f in flags] == [FlagKind.RECEIPT_MISMATCH]
    assert flags[0].evidence["mismatches"][0]["statement_amount"] == "15000.00"
