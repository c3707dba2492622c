import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from compliance.models import Violation, ViolationSource
from loan_collections import services
from loan_collections.contact_policy import SHANGHAI
from loan_collections.factories import CollectionCaseFactory, PromiseToPayFactory, overdue_loan
from loan_collections.models import (
    CollectionCase,
    CollectionPlan,
    CollectionSettings,
    ContactAttempt,
    FollowUpTask,
    LegalAction,
    LegalStage,
    OverdueCause,
    PromiseStatus,
    PromiseToPay,
    Stage,
    StageChange,
)
from loans.factories import BorrowerFactory, LoanFactory, RepaymentFactory
from notifications.models import OutgoingEmail

NOW = dt.datetime(2026, 11, 18, 11, 0, tzinfo=SHANGHAI)  # a Wednesday, 农历九月廿九 (not the last day)


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English here; the Chinese ones are in the .po."""
    with translation.override("en"):
        yield


@pytest.fixture
def borrower(branch, officer):
    return BorrowerFactory(branch=branch, officer=officer)


@pytest.fixture
def case(borrower):
    overdue_loan(borrower=borrower, days=15)
    return CollectionCaseFactory(borrower=borrower)


def log(case, by, **kwargs):
    values = {
        "contacted_at": NOW,
        "channel": "phone",
        "party": "borrower",
        "outcome": "no_answer",
        "now": NOW,
    }
    values.update(kwargs)
    return services.contact_log(case=case, by=by, **values)


# --- cases from the ledger ----------------------------------------------------------------


@pytest.mark.django_db
def test_daily_job_opens_one_case_per_overdue_borrower_and_is_idempotent(borrower):
    overdue_loan(borrower=borrower, days=10)
    overdue_loan(borrower=borrower, days=40, principal=Decimal("1000.00"), interest=Decimal("0"))
    LoanFactory()  # a current loan: no case
    first = services.cases_sync(as_of=dt.date(2026, 11, 18))
    second = services.cases_sync(as_of=dt.date(2026, 11, 19))
    case = CollectionCase.objects.get()
    assert first["opened"] == 1 and second["opened"] == 0
    assert case.overdue_amount == Decimal("3900.00") and case.days_past_due == 40
    assert case.bucket == "31-60" and case.stage == Stage.INTENSIVE and case.officer == borrower.officer


@pytest.mark.django_db
def test_daily_job_closes_a_case_when_every_loan_is_current(case):
    case.borrower.loans.update(days_past_due=0, overdue_principal=0, overdue_interest=0, risk_class=1)
    result = services.cases_sync(as_of=dt.date(2026, 11, 18))
    case.refresh_from_db()
    assert result["closed"] == 1 and case.stage == Stage.CLOSED and case.closed_on == dt.date(2026, 11, 18)
    assert StageChange.objects.filter(case=case, to_stage=Stage.CLOSED, changed_by=None).exists()


@pytest.mark.django_db
def test_ledger_change_hook_only_touches_the_changed_loans_borrowers(branch, officer):
    one = overdue_loan(borrower=BorrowerFactory(branch=branch, officer=officer))
    overdue_loan(borrower=BorrowerFactory(branch=branch, officer=officer))
    services.cases_on_ledger_changed(loan_ids=[one.pk], as_of=dt.date(2026, 11, 18))
    assert list(CollectionCase.objects.values_list("borrower_id", flat=True)) == [one.borrower_id]


@pytest.mark.django_db
def test_one_open_case_per_borrower(case, officer):
    with pytest.raises(ValidationError, match="already has an open"):
        services.case_open(borrower=case.borrower, by=officer, as_of=dt.date(2026, 11, 18))


@pytest.mark.django_db
def test_a_case_for_another_officers_borrower_is_refused(branch, other_officer, officer):
    theirs = BorrowerFactory(branch=branch, officer=other_officer)
    with pytest.raises(ValidationError, match="only for your own borrowers"):
        services.case_open(borrower=theirs, by=officer, as_of=dt.date(2026, 11, 18))
    assert not CollectionCase.objects.exists()


# --- stages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminder_to_closed_with_money_overdue_is_refused(case, officer):
    with pytest.raises(ValidationError, match="still has money overdue"):
        services.case_move(case=case, to_stage=Stage.CLOSED, by=officer, reason="settled?")
    case.refresh_from_db()
    assert case.stage == Stage.REMINDER and not StageChange.objects.exists()


@pytest.mark.django_db
def test_a_jump_the_flow_forbids_is_refused(case, officer):
    with pytest.raises(ValidationError, match="cannot move"):
        services.case_move(case=case, to_stage=Stage.LEGAL, by=officer, reason="sue")


@pytest.mark.django_db
def test_a_move_needs_a_reason(case, officer):
    with pytest.raises(ValidationError):
        services.case_move(case=case, to_stage=Stage.INTENSIVE, by=officer, reason=" ")


@pytest.mark.django_db
def test_escalation_makes_the_branch_head_co_owner_and_records_who_and_why(case, officer, branch_head):
    services.case_move(case=case, to_stage=Stage.ESCALATED, by=officer, reason="钉子户: refuses every call")
    case.refresh_from_db()
    change = StageChange.objects.get(case=case)
    assert case.stage == Stage.ESCALATED and case.co_owner == branch_head
    assert (
        change.changed_by == officer
        and change.reason.startswith("钉子户")
        and change.from_stage == Stage.REMINDER
    )


@pytest.mark.django_db
def test_closing_after_a_closed_court_case_is_allowed(case, officer, branch_head):
    services.case_move(case=case, to_stage=Stage.INTENSIVE, by=officer, reason="no pay")
    services.case_move(case=case, to_stage=Stage.LEGAL, by=officer, reason="sue")
    case.refresh_from_db()
    with time_machine.travel(NOW):
        action = services.legal_action_record(
            case=case,
            by=officer,
            filed_on=dt.date(2026, 11, 1),
            court="衡东县人民法院",
            court_case_no="(2026)湘0424民初1号",
            claim_amount=Decimal("2900.00"),
        )
    services.legal_action_update(
        action=action, by=officer, stage=LegalStage.CLOSED, outcome="调解", recovered_amount=Decimal("2900")
    )
    services.case_move(case=case, to_stage=Stage.CLOSED, by=officer, reason="court case settled")
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED


@pytest.mark.django_db
def test_a_court_case_never_goes_back(case, officer):
    case.stage = Stage.LEGAL
    case.save()
    with time_machine.travel(NOW):
        action = services.legal_action_record(
            case=case,
            by=officer,
            filed_on=dt.date(2026, 11, 1),
            court="c",
            court_case_no="1",
            claim_amount=Decimal("1"),
        )
    services.legal_action_update(action=action, by=officer, stage=LegalStage.JUDGED)
    with pytest.raises(ValidationError, match="earlier stage"):
        services.legal_action_update(action=action, by=officer, stage=LegalStage.FILED)


@pytest.mark.django_db
def test_a_lawsuit_needs_the_legal_stage_and_a_positive_claim(case, officer):
    with pytest.raises(ValidationError, match="legal action"):
        services.legal_action_record(
            case=case,
            by=officer,
            filed_on=dt.date(2026, 11, 1),
            court="c",
            court_case_no="1",
            claim_amount=Decimal("1"),
        )
    case.stage = Stage.LEGAL
    case.save()
    with pytest.raises(ValidationError):
        services.legal_action_record(
            case=case,
            by=officer,
            filed_on=dt.date(2026, 11, 1),
            court="c",
            court_case_no="1",
            claim_amount=Decimal("0"),
        )
    assert not LegalAction.objects.exists()


# --- contact log and timing -------------------------------------------------------------


@pytest.mark.django_db
def test_a_call_at_an_allowed_time_is_logged(case, officer):
    contact = log(case, officer)
    assert contact.pk and contact.right_party_contact and not contact.overridden_by


@pytest.mark.django_db
def test_a_call_before_ten_is_refused_with_the_reason_and_next_allowed_time(case, officer):
    with pytest.raises(ValidationError) as error:
        log(case, officer, contacted_at=at("2026-11-18 09:30"))
    assert "10:00" in str(error.value) and "2026-11-18 10:00" in str(error.value)
    assert not ContactAttempt.objects.exists()


@pytest.mark.django_db
def test_a_call_on_the_lunar_first_is_refused(case, officer):
    # 2026-11-09 is 农历十月初一
    with pytest.raises(ValidationError):
        log(case, officer, contacted_at=at("2026-11-09 11:00"))
    assert not ContactAttempt.objects.exists()


@pytest.mark.django_db
def test_an_sms_is_not_bound_by_the_hours(case, officer):
    assert log(case, officer, channel="sms", contacted_at=at("2026-11-18 08:00")).pk


@pytest.mark.django_db
def test_an_officer_cannot_override_the_rules(case, officer):
    with pytest.raises(ValidationError, match="Only the branch head"):
        log(
            case,
            officer,
            contacted_at=at("2026-11-18 21:00"),
            now=at("2026-11-18 22:00"),
            override_reason="he asked me to call",
        )
    assert not ContactAttempt.objects.exists()


@pytest.mark.django_db
def test_the_branch_head_overrides_with_a_reason_that_is_kept(case, branch_head):
    contact = log(
        case,
        branch_head,
        contacted_at=at("2026-11-18 21:00"),
        now=at("2026-11-18 22:00"),
        override_reason="borrower asked for an evening call",
    )
    assert contact.overridden_by == branch_head and contact.override_reason.startswith("borrower asked")
    assert "20:00" in contact.policy_reason


@pytest.mark.django_db
def test_the_weekly_call_cap_is_enforced_and_configurable(case, officer, branch):
    CollectionSettings.objects.create(branch=branch, weekly_call_cap=1)
    log(case, officer, contacted_at=at("2026-11-17 11:00"))
    with pytest.raises(ValidationError, match="calls this week"):
        log(case, officer)
    assert ContactAttempt.objects.count() == 1


@pytest.mark.django_db
def test_a_contact_in_the_future_is_refused(case, officer):
    with pytest.raises(ValidationError, match="future"):
        log(case, officer, contacted_at=at("2026-11-19 11:00"))


# --- promises ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_promise_is_recorded_with_the_contact(case, officer):
    contact = log(
        case,
        officer,
        outcome="promise",
        promise_amount=Decimal("2900.00"),
        promise_date=dt.date(2026, 11, 20),
    )
    assert contact.promise.amount == Decimal("2900.00") and contact.promise.status == PromiseStatus.PENDING
    case.refresh_from_db()
    assert case.next_action_on == dt.date(2026, 11, 20)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "day", "message"),
    [
        (Decimal("100"), dt.date(2026, 11, 17), "in the past"),
        (Decimal("0"), dt.date(2026, 11, 20), "more than zero"),
        (Decimal("-5"), dt.date(2026, 11, 20), "more than zero"),
        (Decimal("80300.01"), dt.date(2026, 11, 20), "more than the borrower owes"),
        (None, dt.date(2026, 11, 20), "amount"),
    ],
)
def test_bad_promises_are_refused_and_nothing_is_saved(case, officer, amount, day, message):
    with pytest.raises(ValidationError, match=message):
        log(case, officer, outcome="promise", promise_amount=amount, promise_date=day)
    assert not ContactAttempt.objects.exists() and not PromiseToPay.objects.exists()


@pytest.mark.django_db
def test_the_most_a_promise_may_be_is_balance_plus_overdue_interest(case, officer):
    # balance 80,000.00 (contains the overdue principal) + overdue interest 300.00
    contact = log(
        case,
        officer,
        outcome="promise",
        promise_amount=Decimal("80300.00"),
        promise_date=dt.date(2026, 11, 20),
    )
    assert contact.promise.amount == Decimal("80300.00")


def _promise(case, amount="2900.00"):
    return PromiseToPayFactory(contact__case=case, amount=Decimal(amount))


@pytest.mark.django_db
def test_promise_paid_in_full_is_kept(case):
    promise = _promise(case)
    RepaymentFactory(
        loan=case.borrower.loans.first(),
        paid_on=dt.date(2026, 11, 19),
        principal=Decimal("2600"),
        interest=Decimal("300"),
    )
    result = services.promises_check(at=at("2026-11-20 16:00"))
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.KEPT and result["kept"] == 1
    assert not FollowUpTask.objects.exists() and not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_partial_payment_makes_a_partial_promise_with_a_call_again_task(case):
    promise = _promise(case)
    RepaymentFactory(
        loan=case.borrower.loans.first(),
        paid_on=dt.date(2026, 11, 20),
        principal=Decimal("1000"),
        interest=Decimal("0"),
    )
    services.promises_check(at=at("2026-11-20 16:00"))
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.PARTIAL and promise.paid_amount == Decimal("1000.00")
    task = FollowUpTask.objects.get()
    assert task.promise == promise and task.due_at == at("2026-11-20 16:00")  # an ordinary day: call now


@pytest.mark.django_db
def test_broken_promise_gets_a_task_at_the_next_allowed_time_and_an_email(case, officer):
    # 2026-12-08 is 十月三十 (last day of the lunar month), 2026-12-09 十一月初一: both quiet.
    promise = PromiseToPayFactory(contact__case=case, due_on=dt.date(2026, 12, 8))
    result = services.promises_check(at=at("2026-12-08 16:00"))
    promise.refresh_from_db()
    task = FollowUpTask.objects.get()
    assert promise.status == PromiseStatus.BROKEN and result["broken"] == 1
    assert task.due_at == at("2026-12-10 10:00") and task.officer == officer
    email = OutgoingEmail.objects.get(kind="promise_broken")
    assert email.recipient == officer and case.borrower.phone not in email.body_text


@pytest.mark.django_db
def test_a_promise_is_not_checked_before_sixteen_and_checking_twice_changes_nothing(case):
    promise = _promise(case)
    assert services.promises_check(at=at("2026-11-20 15:59"))["checked"] == 0
    assert services.promises_check(at=at("2026-11-20 16:00"))["checked"] == 1
    assert services.promises_check(at=at("2026-11-20 16:05"))["checked"] == 0
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.BROKEN
    assert FollowUpTask.objects.count() == 1 and OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_a_payment_after_the_promised_date_does_not_keep_the_promise(case):
    promise = _promise(case)
    RepaymentFactory(loan=case.borrower.loans.first(), paid_on=dt.date(2026, 11, 21))
    services.promises_check(at=at("2026-11-22 16:00"))
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.BROKEN


# --- plans and accountability --------------------------------------------------------------


@pytest.mark.django_db
def test_plan_base_is_the_balance_at_the_start_of_the_year(borrower, officer):
    old = overdue_loan(borrower=borrower, disbursed_on=dt.date(2025, 3, 1), balance=Decimal("50000.00"))
    LoanFactory(
        borrower=borrower, disbursed_on=dt.date(2026, 2, 1), balance=Decimal("30000.00")
    )  # after 1 Jan
    RepaymentFactory(loan=old, paid_on=dt.date(2026, 3, 15), principal=Decimal("4000.00"))
    RepaymentFactory(loan=old, paid_on=dt.date(2025, 12, 15), principal=Decimal("4000.00"))  # last year
    case = CollectionCaseFactory(borrower=borrower)
    plan = services.plan_create(case=case, by=officer, year=2026, strategy="一户一策")
    assert plan.balance_at_year_start == Decimal("54000.00") and plan.target_amount == Decimal("54000.00")


@pytest.mark.django_db
def test_a_target_above_the_base_is_refused(case, officer):
    with pytest.raises(ValidationError, match="cannot exceed"):
        services.plan_create(case=case, by=officer, year=2026, target_amount=Decimal("99999999"))
    assert not CollectionPlan.objects.exists()


@pytest.mark.django_db
def test_a_measure_owner_must_work_at_the_branch(case, officer, outsider):
    plan = services.plan_create(case=case, by=officer, year=2026)
    with pytest.raises(ValidationError):
        services.plan_measure_add(
            plan=plan, by=officer, kind="visit", owner=outsider, target_date=dt.date(2026, 12, 1)
        )
    measure = services.plan_measure_add(
        plan=plan, by=officer, kind="employer", owner=officer, target_date=dt.date(2026, 12, 1)
    )
    assert measure.plan == plan


@pytest.mark.django_db
def test_officers_own_failing_raises_a_penalty_in_the_compliance_record(case, officer):
    loan = case.borrower.loans.get()
    services.overdue_cause_record(
        loan=loan, by=officer, cause="officer", note="贷后检查未做", on=dt.date(2026, 11, 18)
    )
    violation = Violation.objects.get()
    assert violation.staff == officer and violation.source == ViolationSource.OFFICER_CAUSED_OVERDUE
    assert violation.source_object == loan


@pytest.mark.django_db
def test_other_causes_raise_no_penalty_and_a_cause_is_recorded_once(case, officer):
    loan = case.borrower.loans.get()
    services.overdue_cause_record(
        loan=loan, by=officer, cause="income_loss", note="失业", on=dt.date(2026, 11, 18)
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.overdue_cause_record(
            loan=loan, by=officer, cause="officer", note="x", on=dt.date(2026, 11, 18)
        )
    assert not Violation.objects.exists() and OverdueCause.objects.count() == 1


@pytest.mark.django_db
def test_a_current_loan_has_no_overdue_cause(officer, borrower):
    loan = LoanFactory(borrower=borrower)
    with pytest.raises(ValidationError, match="not overdue"):
        services.overdue_cause_record(
            loan=loan, by=officer, cause="other", note="x", on=dt.date(2026, 11, 18)
        )


@pytest.mark.django_db
def test_settings_window_must_be_in_order(branch_head, branch, officer):
    with pytest.raises(ValidationError):
        services.collection_settings_save(
            branch=branch, by=branch_head, earliest_time=dt.time(21), latest_time=dt.time(20)
        )
    with pytest.raises(ValidationError):
        services.collection_settings_save(branch=branch, by=officer, weekly_call_cap=5)
    saved = services.collection_settings_save(branch=branch, by=branch_head, weekly_call_cap=5)
    assert saved.weekly_call_cap == 5


@pytest.mark.django_db
def test_a_case_follows_the_borrower_to_a_new_officer(case, other_officer):
    case.borrower.officer = other_officer
    case.borrower.save()
    services.cases_sync(as_of=dt.date(2026, 11, 18))
    case.refresh_from_db()
    assert case.officer == other_officer
