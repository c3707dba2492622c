import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from compliance.models import Violation, ViolationSource, ViolationStatus
from post_loan.factories import ActionTemplateFactory
from post_loan.models import (
    ActionEvidence,
    ActionStatus,
    RecordField,
    RequiredAction,
    ResponsibilityChange,
    ReviewStatus,
    Trigger,
)
from post_loan.services import (
    action_template_for,
    required_action_complete,
    required_action_create,
    required_action_reassign,
    required_action_review,
    required_action_waive,
    required_actions_mark_late,
)

TODAY = dt.date(2026, 11, 20)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    # Messages are matched in the English source text; the pages show them in Chinese.
    with (
        time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False),
        translation.override("en"),
    ):
        yield


def _pdf(name="visit.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF" + b"0" * size, content_type="application/pdf")


def test_officer_completes_their_action_with_the_required_fields(officer, action_of):
    action = action_of(officer, due_on=TODAY)
    required_action_complete(
        action=action, user=officer, completed_on=TODAY, findings="经营正常", files=[_pdf()]
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on_time and action.completed_by == officer
    assert ActionEvidence.objects.filter(action=action).count() == 1


def test_completing_an_action_that_is_not_yours_is_refused(officer, other_officer, action_of):
    action = action_of(officer)
    with pytest.raises(ValidationError, match="only they or the branch head"):
        required_action_complete(action=action, user=other_officer, completed_on=TODAY, findings="x")
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING and action.findings == ""


def test_branch_head_may_complete_an_officers_action(officer, branch_head, action_of):
    action = action_of(officer)
    required_action_complete(
        action=action, user=branch_head, completed_on=TODAY, findings="支行负责人代为完成"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_by == branch_head


def test_completing_without_the_fields_the_template_requires_is_refused(officer, action_of):
    template = ActionTemplateFactory(
        required_fields=[
            RecordField.FINDINGS,
            RecordField.SITE_VISIT,
            RecordField.CASH_FLOW,
            RecordField.ATTACHMENTS,
        ]
    )
    action = action_of(officer, template=template)
    with pytest.raises(ValidationError) as error:
        required_action_complete(action=action, user=officer, completed_on=TODAY, findings="只写了发现")
    assert set(error.value.message_dict) == {"site_visit", "cash_flow_notes", "files"}
    assert "requires" in str(error.value)
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING and action.findings == ""
    assert not ActionEvidence.objects.exists()


def test_evidence_of_a_forbidden_type_or_too_large_is_refused(officer, action_of, settings):
    action = action_of(officer)
    with pytest.raises(ValidationError, match="file types"):
        required_action_complete(
            action=action,
            user=officer,
            completed_on=TODAY,
            findings="x",
            files=[SimpleUploadedFile("a.exe", b"MZ")],
        )
    settings.MAX_UPLOAD_SIZE = 50
    with pytest.raises(ValidationError, match="larger than"):
        required_action_complete(
            action=action, user=officer, completed_on=TODAY, findings="x", files=[_pdf()]
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING and not ActionEvidence.objects.exists()


def test_a_photo_from_an_iphone_camera_heic_is_accepted_as_evidence(officer, action_of):
    action = action_of(officer)
    required_action_complete(
        action=action,
        user=officer,
        completed_on=TODAY,
        findings="上门核实，经营正常",
        files=[SimpleUploadedFile("IMG_0042.HEIC", b"\0\0\0\x18ftypheic", content_type="image/heic")],
    )
    assert action.evidence.get().original_name == "IMG_0042.HEIC"


def test_a_due_date_before_the_loan_existed_is_refused(officer, loan_of):
    loan = loan_of(officer, disbursed_on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="before the loan was disbursed"):
        required_action_create(template=ActionTemplateFactory(), loan=loan, due_on=dt.date(2026, 5, 31))
    assert not RequiredAction.objects.exists()


def test_waiving_without_a_reason_is_refused(officer, branch_head, action_of):
    action = action_of(officer)
    with pytest.raises(ValidationError, match="reason"):
        required_action_waive(action=action, user=branch_head, reason="  ")
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING and action.waived_by is None


def test_waiver_records_the_reason_and_the_branch_head_as_approver(officer, branch_head, action_of):
    action = action_of(officer)
    required_action_waive(action=action, user=branch_head, reason="贷款已提前结清")
    action.refresh_from_db()
    assert action.status == ActionStatus.WAIVED and action.waived_by == branch_head


def test_an_officer_cannot_waive(officer, action_of):
    with pytest.raises(ValidationError, match="Only the branch head"):
        required_action_waive(action=action_of(officer), user=officer, reason="不想做")


def test_reassignment_by_the_branch_head_keeps_the_history(officer, other_officer, branch_head, action_of):
    action = action_of(officer)
    required_action_reassign(action=action, user=branch_head, to_user=other_officer, reason="客户移交")
    action.refresh_from_db()
    assert action.responsible == other_officer
    change = ResponsibilityChange.objects.get(action=action)
    assert (change.from_user, change.to_user, change.changed_by) == (officer, other_officer, branch_head)


def test_reassigning_to_staff_of_another_branch_is_refused(officer, outsider, branch_head, action_of):
    action = action_of(officer)
    with pytest.raises(ValidationError, match="branch"):
        required_action_reassign(action=action, user=branch_head, to_user=outsider, reason="x")
    assert not ResponsibilityChange.objects.exists()


def test_returned_action_is_open_again_with_a_date_to_redo_it(officer, branch_head, action_of):
    action = action_of(officer, due_on=TODAY)
    required_action_complete(action=action, user=officer, completed_on=TODAY, findings="x")
    with pytest.raises(ValidationError, match="why"):
        required_action_review(action=action, user=branch_head, accepted=False, comment="")
    required_action_review(action=action, user=branch_head, accepted=False, comment="未写现金流情况")
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING and action.review_status == ReviewStatus.RETURNED
    assert action.redo_by == TODAY + dt.timedelta(days=7)
    assert required_actions_mark_late(as_of=TODAY + dt.timedelta(days=3)) == 0


def test_late_actions_raise_one_pending_penalty_linked_to_the_action(officer, action_of):
    action = action_of(officer, due_on=dt.date(2026, 11, 10))
    action_of(officer, due_on=TODAY)  # due today: not late yet
    assert required_actions_mark_late(as_of=TODAY) == 1
    assert required_actions_mark_late(as_of=TODAY) == 0
    action.refresh_from_db()
    assert action.status == ActionStatus.LATE
    violation = Violation.objects.get()
    assert violation.staff == officer and violation.status == ViolationStatus.PENDING
    assert violation.source == ViolationSource.MISSED_ACTION and violation.source_object == action
    assert violation.occurred_on == dt.date(2026, 11, 11)


def test_a_late_action_can_still_be_completed_but_not_on_time(officer, action_of):
    action = action_of(officer, due_on=dt.date(2026, 11, 10))
    required_actions_mark_late(as_of=TODAY)
    required_action_complete(action=action, user=officer, completed_on=TODAY, findings="补做")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on_time is False


def test_event_templates_are_seeded_when_missing(db):
    assert action_template_for(trigger=Trigger.ON_SIGNAL).code == "signal-onsite-verification"
