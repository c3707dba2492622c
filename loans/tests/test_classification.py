import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from loans.domain import Bucket, RiskClass
from loans.factories import BorrowerFactory, LoanFactory, ScheduleLineFactory
from loans.models import ChangeKind, ChangeStatus, ClassificationChange, Loan
from loans.services import (
    classification_decide,
    classification_propose,
    delinquency_recompute,
    npl_exit_missing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(officer, branch):
    return LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))


def test_officer_downgrades_their_own_loan_at_once(loan, officer):
    change = classification_propose(
        loan=loan, to_class=RiskClass.SPECIAL_MENTION, reason="经营恶化", proposed_by=officer
    )
    assert change.status == ChangeStatus.APPROVED
    assert change.kind == ChangeKind.PROPOSED_WORSE
    assert Loan.objects.get(pk=loan.pk).risk_class == RiskClass.SPECIAL_MENTION


def test_another_officer_cannot_propose_on_a_loan_not_theirs(loan, other_officer):
    with pytest.raises(PermissionDenied):
        classification_propose(loan=loan, to_class=3, reason="x", proposed_by=other_officer)


def test_a_proposal_needs_a_reason(loan, officer):
    with pytest.raises(ValidationError) as error:
        classification_propose(loan=loan, to_class=2, reason=" ", proposed_by=officer)
    assert "reason" in error.value.message_dict
    assert not ClassificationChange.objects.exists()


def test_an_upgrade_waits_for_the_branch_head(loan, officer, branch_head):
    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.SPECIAL_MENTION)
    loan.refresh_from_db()
    change = classification_propose(
        loan=loan, to_class=RiskClass.NORMAL, reason="已恢复", proposed_by=officer
    )
    assert change.status == ChangeStatus.PENDING
    assert Loan.objects.get(pk=loan.pk).risk_class == RiskClass.SPECIAL_MENTION
    classification_decide(change=change, decided_by=branch_head, approve=True, note="同意")
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == branch_head
    assert Loan.objects.get(pk=loan.pk).risk_class == RiskClass.NORMAL


def test_a_branch_head_cannot_approve_their_own_proposal(loan, branch_head):
    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.SPECIAL_MENTION)
    loan.refresh_from_db()
    change = classification_propose(
        loan=loan, to_class=RiskClass.NORMAL, reason="已恢复", proposed_by=branch_head
    )
    with pytest.raises(ValidationError, match="own proposal"):
        classification_decide(change=change, decided_by=branch_head, approve=True)
    assert ClassificationChange.objects.get(pk=change.pk).status == ChangeStatus.PENDING


def test_only_a_branch_head_of_the_loans_branch_decides(
    loan, officer, other_officer, compliance_officer, other_branch
):
    from accounts.factories import make_staff
    from accounts.models import Role

    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.SPECIAL_MENTION)
    loan.refresh_from_db()
    change = classification_propose(
        loan=loan, to_class=RiskClass.NORMAL, reason="已恢复", proposed_by=officer
    )
    foreign_head = make_staff(role=Role.BRANCH_HEAD, branch=other_branch, username="foreign_head")
    for user in (other_officer, compliance_officer, foreign_head):
        with pytest.raises(PermissionDenied):
            classification_decide(change=change, decided_by=user, approve=True)


def test_an_upgrade_is_never_better_than_the_floor(loan, officer):
    Loan.objects.filter(pk=loan.pk).update(
        risk_class=RiskClass.SUBSTANDARD, days_past_due=95, bucket=Bucket.D91_180
    )
    loan.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be better than"):
        classification_propose(loan=loan, to_class=RiskClass.SPECIAL_MENTION, reason="x", proposed_by=officer)


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_leaving_non_performing_says_exactly_what_is_missing(loan, officer):
    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.SUBSTANDARD)
    loan.refresh_from_db()
    # Arrears repaid late on 20 Oct; one instalment paid on time since (15 Nov).
    ScheduleLineFactory(
        loan=loan,
        seq=1,
        due_on=dt.date(2026, 9, 15),
        principal_paid=Decimal("2600"),
        interest_paid=Decimal("300"),
        paid_on=dt.date(2026, 10, 20),
    )
    ScheduleLineFactory(
        loan=loan,
        seq=2,
        due_on=dt.date(2026, 11, 15),
        principal_paid=Decimal("2600"),
        interest_paid=Decimal("300"),
        paid_on=dt.date(2026, 11, 15),
    )
    missing = npl_exit_missing(loan=loan)
    assert len(missing) == 1
    assert "1 instalment(s) were paid on time" in missing[0]
    assert "2027-04-20" in missing[0]
    with pytest.raises(ValidationError, match="cannot leave non-performing"):
        classification_propose(
            loan=loan, to_class=RiskClass.SPECIAL_MENTION, reason="已还清", proposed_by=officer
        )


@time_machine.travel(dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC))
def test_two_instalments_on_time_after_the_arrears_allow_leaving_non_performing(loan, officer):
    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.SUBSTANDARD)
    loan.refresh_from_db()
    ScheduleLineFactory(
        loan=loan,
        seq=1,
        due_on=dt.date(2026, 9, 15),
        principal_paid=Decimal("2600"),
        interest_paid=Decimal("300"),
        paid_on=dt.date(2026, 10, 20),
    )
    ScheduleLineFactory(
        loan=loan,
        seq=2,
        due_on=dt.date(2026, 11, 15),
        principal_paid=Decimal("2600"),
        interest_paid=Decimal("300"),
        paid_on=dt.date(2026, 11, 15),
    )
    ScheduleLineFactory(
        loan=loan,
        seq=3,
        due_on=dt.date(2026, 12, 15),
        principal_paid=Decimal("2600"),
        interest_paid=Decimal("300"),
        paid_on=dt.date(2026, 12, 14),
    )
    assert npl_exit_missing(loan=loan) == []
    change = classification_propose(
        loan=loan, to_class=RiskClass.SPECIAL_MENTION, reason="已还清", proposed_by=officer
    )
    assert change.status == ChangeStatus.PENDING


def test_unpaid_arrears_block_leaving_non_performing(loan):
    Loan.objects.filter(pk=loan.pk).update(
        risk_class=RiskClass.SUBSTANDARD,
        days_past_due=20,
        overdue_principal=Decimal("100"),
        bucket=Bucket.D1_30,
    )
    loan.refresh_from_db()
    assert "Arrears still unpaid" in npl_exit_missing(loan=loan)[0]


def test_daily_recompute_sets_days_past_due_bucket_and_raises_the_floor(loan):
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 7, 15))
    ScheduleLineFactory(loan=loan, seq=2, due_on=dt.date(2026, 8, 15))
    ScheduleLineFactory(loan=loan, seq=3, due_on=dt.date(2026, 12, 15))
    assert delinquency_recompute(as_of=dt.date(2026, 11, 20)) == 1
    loan.refresh_from_db()
    assert loan.days_past_due == 128
    assert loan.bucket == Bucket.D91_180
    assert loan.overdue_principal == Decimal("5200.00")
    assert loan.overdue_interest == Decimal("600.00")
    assert loan.risk_class == RiskClass.SUBSTANDARD
    change = loan.classification_changes.get()
    assert (change.kind, change.from_class, change.to_class, change.proposed_by) == ("floor", 1, 3, None)
    # Running it again changes nothing.
    assert delinquency_recompute(as_of=dt.date(2026, 11, 20)) == 0
    assert loan.classification_changes.count() == 1


def test_daily_recompute_never_improves_a_class_by_itself(loan):
    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.DOUBTFUL)
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 12, 15))
    delinquency_recompute(as_of=dt.date(2026, 11, 20))
    assert Loan.objects.get(pk=loan.pk).risk_class == RiskClass.DOUBTFUL


def test_loans_without_a_schedule_keep_their_imported_figures(loan):
    Loan.objects.filter(pk=loan.pk).update(days_past_due=12, risk_class=2, bucket=Bucket.D1_30)
    delinquency_recompute(as_of=dt.date(2026, 11, 20))
    assert Loan.objects.get(pk=loan.pk).days_past_due == 12


def test_recompute_command_takes_a_date(loan):
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 11, 1))
    call_command("recompute_delinquency", "--date", "2026-11-11")
    assert Loan.objects.get(pk=loan.pk).days_past_due == 10


def test_every_class_change_is_kept_in_the_history(loan, officer):
    import pghistory.models

    classification_propose(loan=loan, to_class=3, reason="担保人失联", proposed_by=officer)
    events = pghistory.models.Events.objects.tracks(loan)
    assert any(event.pgh_diff and "risk_class" in event.pgh_diff for event in events)
