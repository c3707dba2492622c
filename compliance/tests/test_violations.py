import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compliance import services
from compliance.models import PenaltyKind, Violation, ViolationSource, ViolationStatus


def _form(staff, **extra):
    data = {
        "staff": staff.pk,
        "occurred_on": "2026-11-20",
        "rule": "未按期完成贷后检查",
        "source": ViolationSource.AUDIT_FINDING,
        "penalty_kind": PenaltyKind.CRITICISM,
        "score_deduction": "0",
    }
    data.update(extra)
    return data


def _pending(staff):
    return services.violation_raise(
        staff=staff,
        occurred_on=dt.date(2026, 11, 2),
        rule="贷后检查逾期",
        source=ViolationSource.MISSED_ACTION,
    )


def test_a_penalty_without_an_approver_is_refused_with_a_clear_message(officer, compliance_officer):
    with pytest.raises(ValidationError) as error:
        services.violation_record(
            staff=officer,
            recorded_by=compliance_officer,
            approved_by=None,
            occurred_on=dt.date(2026, 11, 20),
            rule="r",
            source=ViolationSource.OTHER,
        )
    assert "处罚必须有审批人" in str(error.value)
    assert not Violation.objects.exists()


def test_the_form_refuses_a_penalty_without_an_approver(client_for, compliance_officer, officer):
    response = client_for(compliance_officer).post(reverse("compliance-violation-create"), _form(officer))
    assert response.status_code == 200
    assert "处罚必须有审批人" in response.content.decode()
    assert not Violation.objects.exists()


def test_an_officer_cannot_approve_a_penalty(officer, other_officer, compliance_officer):
    with pytest.raises(ValidationError, match="只有支行负责人或合规人员"):
        services.violation_record(
            staff=officer,
            recorded_by=compliance_officer,
            approved_by=other_officer,
            occurred_on=dt.date(2026, 11, 20),
            rule="r",
            source=ViolationSource.OTHER,
        )


def test_compliance_officer_records_an_approved_penalty(client_for, compliance_officer, branch_head, officer):
    response = client_for(compliance_officer).post(
        reverse("compliance-violation-create"),
        _form(officer, approved_by=branch_head.pk, penalty_kind=PenaltyKind.FINE, fine_amount="200.00"),
    )
    assert response.status_code == 302
    violation = Violation.objects.get()
    assert violation.status == ViolationStatus.APPROVED and violation.approved_by == branch_head
    assert violation.fine_amount == Decimal("200.00") and violation.recorded_by == compliance_officer


def test_only_compliance_and_the_branch_head_record_violations(client_for, officer):
    assert client_for(officer).get(reverse("compliance-violation-create")).status_code == 403
    assert client_for(officer).post(reverse("compliance-violation-create"), _form(officer)).status_code == 403


def test_a_loan_officer_sees_only_their_own_violations(client_for, officer, other_officer):
    mine, theirs = _pending(officer), _pending(other_officer)
    client = client_for(officer)
    listing = client.get(reverse("compliance-violations"))
    assert [v.pk for v in listing.context["violations"]] == [mine.pk]
    assert client.get(reverse("compliance-violation", args=[theirs.pk])).status_code == 404


def test_branch_head_sees_the_branch_but_not_another_branch(client_for, branch_head, officer, outsider):
    mine, other = _pending(officer), _pending(outsider)
    listing = client_for(branch_head).get(reverse("compliance-violations"))
    assert [v.pk for v in listing.context["violations"]] == [mine.pk]
    assert client_for(branch_head).get(reverse("compliance-violation", args=[other.pk])).status_code == 404


def test_branch_head_approves_a_pending_violation(client_for, branch_head, officer):
    violation = _pending(officer)
    client_for(branch_head).post(reverse("compliance-violation-approve", args=[violation.pk]))
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.APPROVED and violation.approved_by == branch_head


def test_compliance_withdraws_a_pending_violation(client_for, compliance_officer, officer):
    violation = _pending(officer)
    client_for(compliance_officer).post(reverse("compliance-violation-withdraw", args=[violation.pk]))
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.WITHDRAWN


def test_a_decided_violation_cannot_be_decided_again(branch_head, officer):
    violation = services.violation_approve(violation=_pending(officer), approved_by=branch_head)
    with pytest.raises(ValidationError, match="待审批"):
        services.violation_withdraw(violation=violation, withdrawn_by=branch_head)


def test_officer_cannot_approve_their_own_violation(client_for, officer):
    violation = _pending(officer)
    assert (
        client_for(officer).post(reverse("compliance-violation-approve", args=[violation.pk])).status_code
        == 403
    )
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.PENDING


def test_the_staff_member_appeals_and_nobody_else_can(client_for, officer, other_officer):
    violation = _pending(officer)
    url = reverse("compliance-violation-appeal", args=[violation.pk])
    assert client_for(other_officer).post(url, {"appeal_note": "不是我"}).status_code == 404
    client_for(officer).post(url, {"appeal_note": "客户失联，已多次上门"})
    violation.refresh_from_db()
    assert violation.appeal_note == "客户失联，已多次上门" and violation.appealed_at is not None


def test_an_empty_appeal_is_refused(officer):
    with pytest.raises(ValidationError):
        services.violation_appeal(violation=_pending(officer), staff=officer, note="  ")
