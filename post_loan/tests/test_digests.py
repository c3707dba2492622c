import datetime as dt
import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail

from branch_ops.celery import app
from notifications.models import EmailStatus, OutgoingEmail
from post_loan.services import (
    actions_digest_send,
    late_actions_weekly_digest_send,
    required_actions_mark_late,
)
from post_loan.tasks import generate_required_actions, send_actions_digest

DAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, 7, 30, tzinfo=dt.UTC), tick=True):
        yield


def test_digest_lists_actions_due_within_seven_days_and_late_ones(officer, other_officer, action_of):
    soon = action_of(officer, due_on=DAY + dt.timedelta(days=6))
    action_of(officer, due_on=DAY + dt.timedelta(days=20))  # too far ahead
    late = action_of(officer, due_on=DAY - dt.timedelta(days=3))
    required_actions_mark_late(as_of=DAY)
    assert actions_digest_send(day=DAY) == 1
    email = OutgoingEmail.objects.get(kind="actions_digest", recipient=officer)
    assert soon.loan.loan_no in email.body_text and late.loan.loan_no in email.body_text
    assert "7" in email.subject
    assert not OutgoingEmail.objects.filter(recipient=other_officer).exists()


def test_digest_is_sent_once_per_officer_per_day(officer, action_of):
    action_of(officer, due_on=DAY + dt.timedelta(days=1))
    assert actions_digest_send(day=DAY) == 1
    assert actions_digest_send(day=DAY) == 0
    assert OutgoingEmail.objects.filter(kind="actions_digest").count() == 1


def test_weekly_digest_tells_the_branch_head_the_late_actions_per_officer(
    branch_head, officer, outsider, action_of
):
    action_of(officer, due_on=DAY - dt.timedelta(days=5))
    required_actions_mark_late(as_of=DAY)
    assert late_actions_weekly_digest_send(day=DAY) == 1
    email = OutgoingEmail.objects.get(kind="late_actions_weekly", recipient=branch_head)
    assert officer.profile.full_name in email.body_text
    assert late_actions_weekly_digest_send(day=DAY) == 0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_generation_and_digest_run_on_a_real_worker_and_mail_once(officer, loan_of):
    from post_loan.services import action_templates_seed

    action_templates_seed()
    loan_of(officer, disbursed_on=DAY - dt.timedelta(days=10))  # individual first check due in 20 days
    loan_of(officer, disbursed_on=DAY - dt.timedelta(days=25))  # due in 5 days
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        created = generate_required_actions.delay(DAY.isoformat()).get(timeout=30)
        assert created >= 2
        assert send_actions_digest.delay(DAY.isoformat()).get(timeout=30) == 1
        assert send_actions_digest.delay(DAY.isoformat()).get(timeout=30) == 0
        email = OutgoingEmail.objects.get(kind="actions_digest", recipient=officer)
        for _ in range(200):
            email.refresh_from_db()
            if email.status == EmailStatus.SENT:
                break
            time.sleep(0.05)
    assert email.status == EmailStatus.SENT
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 1


def test_beat_schedule_names_registered_tasks(settings):
    app.loader.import_default_modules()
    mine = [
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith(("post_loan.", "screening."))
    ]
    assert len(mine) == 6 and all(name in app.tasks for name in mine)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_late_marking_runs_on_a_real_worker_and_penalises_once(officer, action_of):
    from compliance.models import Violation
    from post_loan.tasks import mark_late_required_actions

    action_of(officer, due_on=DAY - dt.timedelta(days=2))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert mark_late_required_actions.delay(DAY.isoformat()).get(timeout=30) == 1
        assert mark_late_required_actions.delay(DAY.isoformat()).get(timeout=30) == 0
    assert Violation.objects.filter(staff=officer).count() == 1
