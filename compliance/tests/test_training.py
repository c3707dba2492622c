import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from compliance import services
from compliance.models import (
    Attendance,
    AttendanceStatus,
    MeetingProblem,
    ProblemStatus,
    TrainingKind,
    TrainingSession,
)


def test_the_monday_meeting_is_created_with_the_branch_staff_on_its_roll(
    branch, officer, other_officer, branch_head, outsider
):
    created = services.morning_meetings_create(day=dt.date(2026, 11, 25))  # a Wednesday
    meeting = TrainingSession.objects.get(branch=branch)
    assert meeting.held_on == dt.date(2026, 11, 23) and meeting.week_of == dt.date(2026, 11, 23)
    assert meeting.kind == TrainingKind.MORNING_MEETING and meeting.presenter == branch_head
    assert set(meeting.attendance.values_list("staff", flat=True)) == {
        officer.pk,
        other_officer.pk,
        branch_head.pk,
    }
    assert len(created) == 2  # the outsider's branch has its own meeting


def test_creating_the_weeks_meeting_twice_keeps_one_per_branch(branch, officer):
    services.morning_meetings_create(day=dt.date(2026, 11, 23))
    assert services.morning_meetings_create(day=dt.date(2026, 11, 24)) == []
    call_command("create_morning_meetings", "--date", "2026-11-23")
    assert TrainingSession.objects.filter(branch=branch).count() == 1
    call_command("create_morning_meetings", "--date", "2026-11-30")
    assert TrainingSession.objects.filter(branch=branch).count() == 2


def test_the_meeting_job_runs_every_monday_at_half_past_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["compliance-morning-meetings"]
    assert entry["task"] == "compliance.tasks.create_morning_meetings"
    schedule = entry["schedule"]
    assert schedule.hour == {7} and schedule.minute == {30} and schedule.day_of_week == {1}


def test_attendance_for_someone_not_on_the_branch_is_refused(meeting, outsider):
    with pytest.raises(ValidationError) as error:
        services.attendance_record(session=meeting, staff=outsider, status=AttendanceStatus.PRESENT)
    assert "不是衡东支行的员工" in str(error.value)
    assert not Attendance.objects.filter(session=meeting, staff=outsider).exists()


def test_attendance_form_refuses_someone_from_another_branch_with_a_message(
    client_for, meeting, branch_head, outsider
):
    response = client_for(branch_head).post(
        reverse("compliance-session-attendance-add", args=[meeting.pk]),
        {"employee_no": outsider.profile.employee_no, "status": AttendanceStatus.PRESENT},
        follow=True,
    )
    # The outsider is outside the head's scope: no such staff member here.
    assert "没有该工号的员工" in response.content.decode()
    assert not Attendance.objects.filter(session=meeting, staff=outsider).exists()


def test_city_head_adding_another_branchs_staff_to_a_meeting_is_refused(
    client_for, meeting, city_head, outsider
):
    response = client_for(city_head).post(
        reverse("compliance-session-attendance-add", args=[meeting.pk]),
        {"employee_no": outsider.profile.employee_no, "status": AttendanceStatus.PRESENT},
        follow=True,
    )
    assert f"{outsider.profile.full_name} 不是衡东支行的员工" in response.content.decode()
    assert not Attendance.objects.filter(session=meeting, staff=outsider).exists()


def test_an_excused_absence_needs_its_reason(meeting, officer):
    with pytest.raises(ValidationError, match="请假须填写原因"):
        services.attendance_record(session=meeting, staff=officer, status=AttendanceStatus.EXCUSED)


def test_branch_head_records_the_attendance_of_the_whole_roll(
    client_for, meeting, branch_head, officer, other_officer
):
    data = {}
    for row in meeting.attendance.all():
        data[f"status_{row.staff_id}"] = AttendanceStatus.PRESENT
        data[f"reason_{row.staff_id}"] = ""
    data[f"status_{officer.pk}"] = AttendanceStatus.EXCUSED
    data[f"reason_{officer.pk}"] = "外出催收"
    data[f"status_{other_officer.pk}"] = AttendanceStatus.ABSENT
    response = client_for(branch_head).post(reverse("compliance-session-attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert Attendance.objects.get(session=meeting, staff=officer).reason == "外出催收"
    assert Attendance.objects.get(session=meeting, staff=other_officer).status == AttendanceStatus.ABSENT


def test_excused_without_reason_in_the_form_saves_nothing(client_for, meeting, branch_head, officer):
    data = {f"status_{row.staff_id}": AttendanceStatus.PRESENT for row in meeting.attendance.all()}
    data[f"status_{officer.pk}"] = AttendanceStatus.EXCUSED
    response = client_for(branch_head).post(reverse("compliance-session-attendance", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert not Attendance.objects.filter(session=meeting).exclude(status=AttendanceStatus.UNRECORDED).exists()


def test_officer_cannot_record_attendance(client_for, meeting, officer):
    assert (
        client_for(officer).get(reverse("compliance-session-attendance", args=[meeting.pk])).status_code
        == 403
    )


def test_officer_sees_their_branchs_meeting_but_not_another_branchs(client_for, meeting, officer, outsider):
    assert client_for(officer).get(reverse("compliance-session", args=[meeting.pk])).status_code == 200
    assert client_for(outsider).get(reverse("compliance-session", args=[meeting.pk])).status_code == 404


def test_a_problem_stays_on_later_meetings_until_resolved(meeting, branch, officer, branch_head):
    problem = services.meeting_problem_raise(
        meeting=meeting, description="抵押登记资料不全", owner=officer, due_on=dt.date(2026, 12, 4)
    )
    next_meeting = services.training_session_create(
        branch=branch, kind=TrainingKind.MORNING_MEETING, title="晨会", held_on=dt.date(2026, 11, 30)
    )
    assert list(services_carried(next_meeting)) == [problem]
    services.meeting_problem_resolve(problem=problem, resolution="已补齐", resolved_on=dt.date(2026, 12, 3))
    # Still shown on the meeting of 30 Nov (it was open then), no longer on the one after.
    third = services.training_session_create(
        branch=branch, kind=TrainingKind.MORNING_MEETING, title="晨会", held_on=dt.date(2026, 12, 7)
    )
    assert list(services_carried(next_meeting)) == [problem]
    assert list(services_carried(third)) == []


def services_carried(meeting):
    from compliance.selectors import carried_problems

    return carried_problems(meeting=meeting)


def test_the_next_meetings_page_shows_the_carried_problem(client_for, meeting, branch, officer, branch_head):
    client = client_for(branch_head)
    response = client.post(
        reverse("compliance-problem-create", args=[meeting.pk]),
        {"description": "保证人失联需核实", "owner": officer.pk, "due_on": "2026-12-04"},
    )
    assert response.status_code == 302
    next_meeting = services.training_session_create(
        branch=branch, kind=TrainingKind.MORNING_MEETING, title="晨会", held_on=dt.date(2026, 11, 30)
    )
    content = client.get(reverse("compliance-session", args=[next_meeting.pk])).content.decode()
    assert "保证人失联需核实" in content


def test_a_problem_needs_an_owner_on_the_branch(meeting, outsider):
    with pytest.raises(ValidationError, match="责任人"):
        services.meeting_problem_raise(
            meeting=meeting, description="x", owner=outsider, due_on=dt.date(2026, 12, 1)
        )


def test_the_owner_resolves_their_problem_and_others_cannot(client_for, meeting, officer, other_officer):
    problem = services.meeting_problem_raise(
        meeting=meeting, description="x", owner=officer, due_on=dt.date(2026, 12, 1)
    )
    url = reverse("compliance-problem-resolve", args=[problem.pk])
    assert client_for(other_officer).get(url).status_code == 404
    response = client_for(officer).post(url, {"resolution": "已处理", "resolved_on": "2026-11-27"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED


def test_a_second_meeting_in_the_same_week_is_refused(meeting, branch):
    with pytest.raises(ValidationError, match="本周已有晨会"):
        services.training_session_create(
            branch=branch, kind=TrainingKind.MORNING_MEETING, title="again", held_on=dt.date(2026, 11, 25)
        )
    assert MeetingProblem.objects.count() == 0


def test_branch_head_creates_a_city_training_with_materials(client_for, branch, branch_head, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(branch_head).post(
        reverse("compliance-session-create"),
        {
            "branch": branch.pk,
            "kind": TrainingKind.CITY_TRAINING,
            "title": "市分行培训",
            "held_on": "2026-10-15",
            "duration_minutes": 240,
            "topics": "贷后管理",
            "materials": SimpleUploadedFile("slides.pptx", b"pptx"),
        },
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get(title="市分行培训")
    assert session.materials.name.endswith(".pptx")
    assert session.attendance.filter(staff=officer).exists()
