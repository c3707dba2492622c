import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.factories import StaffProfileFactory
from accounts.models import Role
from loans.domain import RiskClass
from loans.factories import LoanFactory
from loans.models import Loan, LoanStatus
from writeoffs.factories import RecoveryFactory, WriteOffFactory
from writeoffs.models import Grounds, RecoverySource, WriteOff, WriteOffStatus
from writeoffs.services import recovery_record, write_off_decide, write_off_propose

pytestmark = pytest.mark.django_db


def _propose(loan, by, **kwargs):
    return write_off_propose(loan=loan, grounds=Grounds.COURT, reason="终结执行", proposed_by=by, **kwargs)


def _approved(loan, officer, head):
    return write_off_decide(write_off=_propose(loan, officer), decided_by=head, approve=True)


def test_officer_proposes_and_the_head_approves_the_loan_leaves_the_books(loss_loan, officer, branch_head):
    proposal = _propose(loss_loan, officer)
    assert (proposal.principal, proposal.interest, proposal.total) == (
        Decimal("80000.00"),
        Decimal("2000.00"),
        Decimal("82000.00"),
    )
    assert proposal.status == WriteOffStatus.PROPOSED
    assert Loan.objects.get(pk=loss_loan.pk).status == LoanStatus.ACTIVE  # not before approval

    decided = write_off_decide(write_off=proposal, decided_by=branch_head, approve=True, note="同意")
    assert decided.status == WriteOffStatus.APPROVED
    assert decided.written_off_on == timezone.localdate()
    loan = Loan.objects.get(pk=loss_loan.pk)
    assert loan.status == LoanStatus.WRITTEN_OFF
    assert WriteOff.objects.get(pk=proposal.pk).total == Decimal("82000.00")  # the amount is kept


@pytest.mark.parametrize("risk_class", [RiskClass.NORMAL, RiskClass.SUBSTANDARD, RiskClass.DOUBTFUL])
def test_only_a_loss_class_loan_can_be_proposed(officer, branch, risk_class):
    loan = LoanFactory(borrower__branch=branch, borrower__officer=officer, risk_class=risk_class)
    with pytest.raises(ValidationError, match="Only a loss-class loan"):
        _propose(loan, officer)
    assert not WriteOff.objects.exists()


def test_a_settled_loan_cannot_be_proposed(loss_loan, officer):
    Loan.objects.filter(pk=loss_loan.pk).update(status=LoanStatus.SETTLED)
    loss_loan.refresh_from_db()
    with pytest.raises(ValidationError, match="Only an active loan"):
        _propose(loss_loan, officer)


def test_the_proposer_cannot_approve_their_own_proposal(loss_loan, branch_head, second_head):
    proposal = _propose(loss_loan, branch_head)
    with pytest.raises(ValidationError, match="your own proposal"):
        write_off_decide(write_off=proposal, decided_by=branch_head, approve=True)
    assert Loan.objects.get(pk=loss_loan.pk).status == LoanStatus.ACTIVE
    write_off_decide(write_off=proposal, decided_by=second_head, approve=True)
    assert Loan.objects.get(pk=loss_loan.pk).status == LoanStatus.WRITTEN_OFF


def test_an_officer_cannot_decide_and_cannot_propose_another_officers_loan(loss_loan, officer, other_officer):
    with pytest.raises(PermissionDenied):
        _propose(loss_loan, other_officer)
    proposal = _propose(loss_loan, officer)
    with pytest.raises(PermissionDenied):
        write_off_decide(write_off=proposal, decided_by=officer, approve=True)


def test_a_head_of_another_branch_cannot_decide(loss_loan, officer, other_branch):
    other_head = StaffProfileFactory(branch=other_branch, role=Role.BRANCH_HEAD).user
    proposal = _propose(loss_loan, officer)
    with pytest.raises(PermissionDenied):
        write_off_decide(write_off=proposal, decided_by=other_head, approve=True)


def test_a_rejection_needs_a_reason_and_leaves_the_loan_on_the_books(loss_loan, officer, branch_head):
    proposal = _propose(loss_loan, officer)
    with pytest.raises(ValidationError, match="why the proposal is rejected"):
        write_off_decide(write_off=proposal, decided_by=branch_head, approve=False)
    decided = write_off_decide(write_off=proposal, decided_by=branch_head, approve=False, note="证据不足")
    assert decided.status == WriteOffStatus.REJECTED
    assert Loan.objects.get(pk=loss_loan.pk).status == LoanStatus.ACTIVE
    _propose(loss_loan, officer)  # a new proposal may follow a rejection


def test_a_second_open_proposal_is_refused(loss_loan, officer):
    _propose(loss_loan, officer)
    with pytest.raises(ValidationError, match="already has a write-off proposal"):
        _propose(loss_loan, officer)


def test_a_decided_proposal_cannot_be_decided_again(loss_loan, officer, branch_head, second_head):
    proposal = _approved(loss_loan, officer, branch_head)
    with pytest.raises(ValidationError, match="already decided"):
        write_off_decide(write_off=proposal, decided_by=second_head, approve=False, note="x")


def test_the_principal_written_off_is_at_most_the_balance(loss_loan, officer):
    with pytest.raises(ValidationError) as error:
        _propose(loss_loan, officer, principal=Decimal("80000.01"))
    assert "principal" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _propose(loss_loan, officer, interest=Decimal("-1"))
    assert "interest" in error.value.message_dict


def test_the_database_refuses_a_total_that_is_not_principal_plus_interest(loss_loan):
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOffFactory(loan=loss_loan, principal=Decimal("100"), interest=Decimal("5"), total=Decimal("104"))


def test_the_database_refuses_negative_amounts(loss_loan):
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOffFactory(loan=loss_loan, principal=Decimal("-1"), interest=Decimal("5"), total=Decimal("4"))


def test_the_database_refuses_a_decider_who_proposed(loss_loan, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOffFactory(loan=loss_loan, approved=True, proposed_by=officer, decided_by=officer)


def test_the_database_allows_one_approved_write_off_and_one_open_proposal_per_loan(loss_loan, branch_head):
    WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    WriteOffFactory(loan=loss_loan)
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteOffFactory(loan=loss_loan)


def test_the_database_refuses_a_recovery_that_is_not_positive(loss_loan, branch_head):
    write_off = WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryFactory(write_off=write_off, amount=Decimal("0"))


def _recover(write_off, by, amount, **kwargs):
    values = {"recovered_on": timezone.localdate(), "source": RecoverySource.GUARANTOR} | kwargs
    return recovery_record(write_off=write_off, amount=Decimal(amount), recorded_by=by, **values)


def test_recoveries_are_recorded_up_to_the_amount_written_off(loss_loan, officer, branch_head):
    write_off = _approved(loss_loan, officer, branch_head)
    _recover(write_off, officer, "80000.00")
    with pytest.raises(ValidationError, match="at most 2000.00 left"):
        _recover(write_off, officer, "2000.01")
    _recover(write_off, branch_head, "2000.00")
    assert sum(r.amount for r in write_off.recoveries.all()) == Decimal("82000.00")


def test_a_recovery_needs_an_approved_write_off_and_a_sensible_date(loss_loan, officer, branch_head):
    proposal = _propose(loss_loan, officer)
    with pytest.raises(ValidationError, match="only on an approved write-off"):
        _recover(proposal, officer, "10")
    write_off = write_off_decide(write_off=proposal, decided_by=branch_head, approve=True)
    with pytest.raises(ValidationError) as error:
        _recover(write_off, officer, "10", recovered_on=timezone.localdate() + dt.timedelta(days=1))
    assert "recovered_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _recover(write_off, officer, "10", recovered_on=timezone.localdate() - dt.timedelta(days=1))
    assert "recovered_on" in error.value.message_dict


def test_another_officer_cannot_record_a_recovery(loss_loan, officer, other_officer, branch_head):
    write_off = _approved(loss_loan, officer, branch_head)
    with pytest.raises(PermissionDenied):
        _recover(write_off, other_officer, "10")
