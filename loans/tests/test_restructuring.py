"""Restructuring (重组 / 展期): proposal, maker-checker approval, the floor, the observation
period and leaving it (loans.services.restructuring and observation)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.factories import StaffProfileFactory
from accounts.models import Role
from loans.domain import RiskClass, class_floor
from loans.factories import BorrowerFactory, LoanFactory, RestructuringFactory
from loans.models import (
    ChangeKind,
    Loan,
    ObservationRestart,
    RestartReason,
    Restructuring,
    RestructuringKind,
    RestructuringStatus,
)
from loans.services import (
    classification_propose,
    delinquency_recompute,
    observation_check,
    restructuring_decide,
    restructuring_import_flags,
    restructuring_propose,
    restructuring_review,
    schedule_build,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def loan(officer, branch):
    loan = LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    schedule_build(loan=loan, as_of=TODAY)
    return loan


def _propose(loan, by, **terms):
    values = {
        "kinds": [RestructuringKind.EXTENSION],
        "difficulty": "经营收入下降，短期周转困难",
        "new_matures_on": dt.date(2030, 6, 15),
        "new_annual_rate": Decimal("4.3500"),
        "new_repayment_method": loan.repayment_method,
        "new_repayment_day": 15,
    }
    return restructuring_propose(loan=loan, proposed_by=by, **{**values, **terms})


def test_the_officer_proposes_and_nothing_changes_until_approval(loan, officer):
    proposal = _propose(loan, officer)
    assert proposal.status == RestructuringStatus.PROPOSED
    assert proposal.old_matures_on == dt.date(2028, 6, 15)
    assert Loan.objects.get(pk=loan.pk).matures_on == dt.date(2028, 6, 15)


def test_another_officer_cannot_propose(loan, other_officer):
    with pytest.raises(PermissionDenied):
        _propose(loan, other_officer)


def test_an_extension_needs_a_later_maturity_and_a_difficulty(loan, officer):
    with pytest.raises(ValidationError) as error:
        _propose(loan, officer, new_matures_on=dt.date(2027, 6, 15), difficulty=" ")
    assert {"new_matures_on", "difficulty"} <= set(error.value.message_dict)
    assert not Restructuring.objects.exists()


def test_only_one_proposal_at_a_time(loan, officer):
    _propose(loan, officer)
    with pytest.raises(ValidationError):
        _propose(loan, officer)


def test_approval_applies_the_terms_rebuilds_the_schedule_and_sets_floor_and_observation(
    loan, officer, branch_head
):
    proposal = _propose(loan, officer, new_annual_rate=Decimal("3.6000"), kinds=["extension", "lower_rate"])
    restructuring_decide(restructuring=proposal, decided_by=branch_head, approve=True, note="同意展期")
    proposal.refresh_from_db()
    loan.refresh_from_db()
    assert (loan.matures_on, loan.annual_rate) == (dt.date(2030, 6, 15), Decimal("3.6000"))
    assert loan.restructured and loan.class_floor == RiskClass.SPECIAL_MENTION
    assert loan.risk_class == RiskClass.SPECIAL_MENTION
    assert loan.classification_changes.get().kind == ChangeKind.RESTRUCTURING
    last = loan.schedule.order_by("-seq").first()
    assert last.due_on == dt.date(2030, 6, 15)
    assert sum(line.principal_due - line.principal_paid for line in loan.schedule.all()) == loan.balance
    assert (proposal.observation_starts_on, proposal.observation_ends_on) == (
        dt.date(2026, 3, 15),
        dt.date(2027, 3, 15),
    )


def test_an_officer_cannot_decide_and_a_head_not_their_own_proposal(loan, officer, branch_head):
    proposal = _propose(loan, officer)
    with pytest.raises(PermissionDenied):
        restructuring_decide(restructuring=proposal, decided_by=officer, approve=True)
    own = RestructuringFactory(loan=LoanFactory(borrower=loan.borrower), proposed_by=branch_head)
    with pytest.raises(ValidationError):
        restructuring_decide(restructuring=own, decided_by=branch_head, approve=True)


def test_the_database_refuses_an_approval_by_the_proposer(loan, branch_head):
    proposal = RestructuringFactory(loan=loan, proposed_by=branch_head)
    with pytest.raises(IntegrityError), transaction.atomic():
        Restructuring.objects.filter(pk=proposal.pk).update(
            status=RestructuringStatus.REJECTED, decided_by=branch_head, decided_at=proposal.proposed_at
        )


def test_a_rejection_needs_a_reason_and_changes_nothing(loan, officer, branch_head):
    proposal = _propose(loan, officer)
    with pytest.raises(ValidationError):
        restructuring_decide(restructuring=proposal, decided_by=branch_head, approve=False)
    restructuring_decide(restructuring=proposal, decided_by=branch_head, approve=False, note="困难说明不充分")
    loan.refresh_from_db()
    assert not loan.restructured and loan.matures_on == dt.date(2028, 6, 15)


def _approved(loan, officer, head, **terms):
    proposal = _propose(loan, officer, **terms)
    return restructuring_decide(restructuring=proposal, decided_by=head, approve=True)


def test_a_second_restructuring_within_observation_is_at_least_substandard(loan, officer, branch_head):
    first = _approved(loan, officer, branch_head)
    loan.refresh_from_db()
    second = _approved(loan, officer, branch_head, new_matures_on=dt.date(2031, 6, 15))
    first.refresh_from_db()
    loan.refresh_from_db()
    assert first.left_on == TODAY and second.again_in_observation
    assert loan.class_floor == loan.risk_class == RiskClass.SUBSTANDARD


def test_a_non_performing_loan_cannot_be_upgraded_during_observation(loan, officer, branch_head):
    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.DOUBTFUL)
    loan.refresh_from_db()
    _approved(loan, officer, branch_head)
    loan.refresh_from_db()
    assert loan.class_floor == RiskClass.DOUBTFUL
    with pytest.raises(ValidationError) as error:
        classification_propose(
            loan=loan, to_class=RiskClass.SUBSTANDARD, reason="已好转", proposed_by=officer
        )
    assert "restructured" in str(error.value)


def test_the_database_keeps_the_class_at_or_above_the_restructuring_floor(loan, officer, branch_head):
    _approved(loan, officer, branch_head)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.NORMAL)


def test_recompute_python_rule_and_constraint_agree_on_the_floor(loan, officer, branch_head):
    _approved(loan, officer, branch_head)
    # 100 days behind: the days-past-due floor (次级) is worse than the restructuring floor.
    loan.schedule.filter(due_on__lt=dt.date(2026, 6, 10)).update(paid_on=None)
    delinquency_recompute(as_of=dt.date(2026, 6, 23))
    loan.refresh_from_db()
    assert loan.risk_class == class_floor(loan.days_past_due, loan.class_floor)
    recovered = LoanFactory(borrower=loan.borrower, risk_class=2, class_floor=2, restructured=True)
    schedule_build(loan=recovered, as_of=TODAY)
    recovered.schedule.update(paid_on=dt.date(2026, 1, 1))
    delinquency_recompute(as_of=TODAY)
    recovered.refresh_from_db()
    assert recovered.risk_class == class_floor(0, 2) == RiskClass.SPECIAL_MENTION


def test_a_missed_instalment_restarts_observation_from_its_due_date(loan, officer, branch_head, frozen):
    restructuring = _approved(loan, officer, branch_head)
    loan.schedule.filter(due_on=dt.date(2026, 3, 15)).update(
        paid_on=dt.date(2026, 3, 15), principal_paid=F("principal_due"), interest_paid=F("interest_due")
    )
    # The April instalment is left unpaid.
    assert observation_check(as_of=dt.date(2026, 4, 20)) == 1
    assert observation_check(as_of=dt.date(2026, 4, 21)) == 0
    restructuring.refresh_from_db()
    assert (restructuring.observation_starts_on, restructuring.observation_ends_on) == (
        dt.date(2026, 4, 15),
        dt.date(2027, 4, 15),
    )
    assert restructuring.restarts.get().reason == RestartReason.MISSED_PAYMENT


def test_leaving_waits_for_the_end_and_a_head_and_lifts_the_floor(loan, officer, branch_head, frozen):
    restructuring = _approved(loan, officer, branch_head)
    with pytest.raises(ValidationError):
        restructuring_review(
            restructuring=restructuring, reviewed_by=branch_head, resolved=True, note="已恢复"
        )
    frozen.move_to(dt.datetime(2027, 3, 16, 10, tzinfo=dt.UTC))
    loan.schedule.update(paid_on=None)
    Loan.objects.filter(pk=loan.pk).update(days_past_due=0)
    with pytest.raises(PermissionDenied):
        restructuring_review(restructuring=restructuring, reviewed_by=officer, resolved=True, note="已恢复")
    restructuring_review(
        restructuring=restructuring, reviewed_by=branch_head, resolved=True, note="经营已恢复"
    )
    loan.refresh_from_db()
    restructuring.refresh_from_db()
    assert restructuring.left_on == dt.date(2027, 3, 16)
    assert not loan.restructured and loan.class_floor == RiskClass.NORMAL
    assert loan.risk_class == RiskClass.SPECIAL_MENTION  # an upgrade goes through the class workflow


def test_difficulty_not_resolved_restarts_the_period(loan, officer, branch_head, frozen):
    restructuring = _approved(loan, officer, branch_head)
    frozen.move_to(dt.datetime(2027, 3, 16, 10, tzinfo=dt.UTC))
    restructuring_review(restructuring=restructuring, reviewed_by=branch_head, resolved=False, note="仍亏损")
    restructuring.refresh_from_db()
    assert restructuring.in_observation
    assert restructuring.observation_starts_on == dt.date(2027, 4, 15)
    assert ObservationRestart.objects.get().reason == RestartReason.NOT_RESOLVED


def test_an_imported_flag_marks_the_loan_restructured_with_the_special_mention_floor(loan):
    assert restructuring_import_flags(flags={loan.pk: dt.date(2026, 1, 10)}, as_of=TODAY) == 1
    assert restructuring_import_flags(flags={loan.pk: dt.date(2026, 1, 10)}, as_of=TODAY) == 0
    loan.refresh_from_db()
    assert loan.restructured and loan.risk_class == loan.class_floor == RiskClass.SPECIAL_MENTION
    record = loan.restructurings.get()
    assert (record.observation_starts_on, record.observation_ends_on) == (
        dt.date(2026, 1, 15),
        dt.date(2027, 1, 15),
    )


def test_a_head_of_another_branch_cannot_approve(loan, officer, other_branch):
    head = StaffProfileFactory(branch=other_branch, role=Role.BRANCH_HEAD).user
    proposal = _propose(loan, officer)
    with pytest.raises(PermissionDenied):
        restructuring_decide(restructuring=proposal, decided_by=head, approve=True)
