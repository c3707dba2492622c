import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from compliance.models import PenaltyKind, ViolationSource, ViolationStatus
from compliance.services import violation_raise
from loans.factories import LoanFactory


def test_raised_violation_waits_for_approval(officer):
    violation = violation_raise(
        staff=officer,
        occurred_on=dt.date(2026, 11, 2),
        rule="贷后检查逾期",
        source=ViolationSource.MISSED_ACTION,
    )
    assert violation.status == ViolationStatus.PENDING
    assert violation.branch == officer.profile.branch


def test_raising_again_for_the_same_record_returns_the_first(officer):
    loan = LoanFactory()
    first = violation_raise(
        staff=officer,
        occurred_on=dt.date(2026, 11, 2),
        rule="r",
        source=ViolationSource.OFFICER_CAUSED_OVERDUE,
        source_object=loan,
    )
    second = violation_raise(
        staff=officer,
        occurred_on=dt.date(2026, 11, 3),
        rule="r",
        source=ViolationSource.OFFICER_CAUSED_OVERDUE,
        source_object=loan,
    )
    assert first.pk == second.pk


def test_a_fine_without_an_amount_is_refused(officer):
    with pytest.raises(ValidationError):
        violation_raise(
            staff=officer,
            occurred_on=dt.date(2026, 11, 2),
            rule="r",
            source=ViolationSource.OTHER,
            penalty_kind=PenaltyKind.FINE,
        )


def test_violation_with_an_approver_is_approved(officer, branch_head):
    violation = violation_raise(
        staff=officer,
        occurred_on=dt.date(2026, 11, 2),
        rule="r",
        source=ViolationSource.AUDIT_FINDING,
        penalty_kind=PenaltyKind.FINE,
        fine_amount=Decimal("200"),
        approved_by=branch_head,
    )
    assert violation.status == ViolationStatus.APPROVED
