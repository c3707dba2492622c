import datetime as dt
import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from branch_ops.celery import app
from compliance import services
from compliance.factories import RegulationFactory
from compliance.models import Acknowledgement, AttendanceStatus, TrainingKind
from compliance.tasks import send_compliance_reminders
from notifications.models import EmailStatus, OutgoingEmail


def _overdue_ack(officer, *, days):
    regulation = services.regulation_publish(regulation=RegulationFactory.build(title="《员工职业操守规定》"))
    Acknowledgement.objects.filter(regulation=regulation).update(
        requested_at=timezone.now() - dt.timedelta(days=days)
    )
    return regulation


def _missed_two(branch, officer, *, last_monday):
    for weeks in (1, 0):
        meeting = services.training_session_create(
            branch=branch,
            kind=TrainingKind.MORNING_MEETING,
            title="晨会",
            held_on=last_monday - dt.timedelta(weeks=weeks),
        )
        services.attendance_record(session=meeting, staff=officer, status=AttendanceStatus.ABSENT)


def test_an_acknowledgement_older_than_seven_days_gets_one_email_a_week(officer, other_officer):
    _overdue_ack(officer, days=8)
    Acknowledgement.objects.filter(staff=other_officer).update(
        requested_at=timezone.now() - dt.timedelta(days=6)
    )
    today = timezone.localdate()
    assert services.compliance_reminders_send(today=today) == 1
    assert services.compliance_reminders_send(today=today) == 0
    email = OutgoingEmail.objects.get()
    assert email.recipient == officer and email.kind == "compliance_ack_overdue"
    assert email.key_date == services.monday_of(today)
    assert "《员工职业操守规定》" in email.body_text


def test_two_missed_meetings_in_a_row_get_one_email(branch, officer, other_officer):
    _missed_two(branch, officer, last_monday=dt.date(2026, 11, 23))
    services.compliance_reminders_send(today=dt.date(2026, 11, 24))
    services.compliance_reminders_send(today=dt.date(2026, 11, 25))
    emails = OutgoingEmail.objects.filter(kind="compliance_missed_meetings")
    assert [(e.recipient_id, e.key_date) for e in emails] == [(officer.pk, dt.date(2026, 11, 23))]


def test_one_missed_meeting_then_present_sends_nothing(branch, officer):
    for day, status in (
        (dt.date(2026, 11, 16), AttendanceStatus.ABSENT),
        (dt.date(2026, 11, 23), AttendanceStatus.PRESENT),
    ):
        meeting = services.training_session_create(
            branch=branch, kind=TrainingKind.MORNING_MEETING, title="晨会", held_on=day
        )
        services.attendance_record(session=meeting, staff=officer, status=status)
    assert services.compliance_reminders_send(today=dt.date(2026, 11, 24)) == 0


def test_both_reasons_give_two_emails_and_next_week_a_new_one(branch, officer):
    with time_machine.travel("2026-11-24 09:00 +0800", tick=False):
        _overdue_ack(officer, days=10)
        _missed_two(branch, officer, last_monday=dt.date(2026, 11, 23))
        assert services.compliance_reminders_send(today=dt.date(2026, 11, 24)) == 2
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        assert services.compliance_reminders_send(today=dt.date(2026, 12, 1)) == 1  # only the acknowledgement
    assert OutgoingEmail.objects.filter(recipient=officer).count() == 3


def test_the_reminder_job_runs_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["compliance-reminders"]
    assert entry["task"] == "compliance.tasks.send_compliance_reminders"
    assert entry["schedule"].hour == {9} and entry["schedule"].minute == {0}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_reminders_run_twice_by_a_real_worker_send_one_email(branch, officer):
    _overdue_ack(officer, days=9)
    day = timezone.localdate().isoformat()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert send_compliance_reminders.delay(day).get(timeout=30) == 1
        assert send_compliance_reminders.delay(day).get(timeout=30) == 0
        email = OutgoingEmail.objects.get(kind="compliance_ack_overdue", recipient=officer)
        for _ in range(200):
            email.refresh_from_db()
            if email.status == EmailStatus.SENT:
                break
            time.sleep(0.05)
    assert email.status == EmailStatus.SENT
    assert len([message for message in mail.outbox if message.to == [officer.email]]) == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_monday_job_on_a_real_worker_creates_one_meeting_per_branch(branch, officer):
    from compliance.models import TrainingSession
    from compliance.tasks import create_morning_meetings

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert create_morning_meetings.delay("2026-11-30").get(timeout=30) == 1
        assert create_morning_meetings.delay("2026-11-30").get(timeout=30) == 0
    assert TrainingSession.objects.filter(branch=branch).count() == 1
