"""The worker layout of a province (README "Worker layout"): each task goes to its queue, also
when a service enqueues it by name, and the short queues have a worker of their own, so the
16:00 promise check and the reminder emails go out while a long import is still running."""

import datetime as dt
import re
import time

import pytest
import redis as redis_py
from celery import Celery
from django.db import transaction

from accounts.factories import UserFactory
from branch_ops.celery import app
from core.queue import enqueue_on_commit
from faults.conftest import send_task, wait_for
from notifications.models import EmailStatus, OutgoingEmail
from notifications.services import email_queue

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG = "loans.tasks.run_ledger_change_handlers"
PROMISES = "loan_collections.tasks.check_promises"


def succeeded(task: str, log: str) -> bool:
    return re.search(rf"{re.escape(task)}\[[0-9a-f-]+\] succeeded", log) is not None


def received(task: str, log: str) -> bool:
    return re.search(rf"Task {re.escape(task)}\[[0-9a-f-]+\] received", log) is not None


def test_tasks_enqueued_by_name_on_commit_land_in_their_queues_on_redis(private_redis, monkeypatch):
    broker = private_redis()
    # enqueue_on_commit sends through celery's current app: here one with the project's
    # settings (and so its routes) on the private Redis. Celery lets the environment's
    # CELERY_BROKER_URL win over its configuration, so that is what points it there.
    monkeypatch.setenv("CELERY_BROKER_URL", broker.url)
    client = Celery("routing-check")
    client.config_from_object("django.conf:settings", namespace="CELERY")
    client.set_current()
    assert client.connection_for_write().port == broker.port
    try:
        with transaction.atomic():
            enqueue_on_commit("ledger_import.tasks.process_batch", 1)
            enqueue_on_commit("dashboard.tasks.generate_monthly_reports", "2026-10-01")
            enqueue_on_commit("notifications.tasks.send_email", 7)
            enqueue_on_commit(PROMISES, "2026-11-20T16:00:00")
            enqueue_on_commit("accounts.tasks.heartbeat")
    finally:
        client.close()
        app.set_current()
    lengths = {
        queue: broker.queue_length(queue) for queue in ("default", "email", "imports", "reports", "celery")
    }
    assert lengths == {"default": 2, "email": 1, "imports": 1, "reports": 1, "celery": 0}
    queued = redis_py.Redis(port=broker.port).lrange("imports", 0, -1)
    assert b"ledger_import.tasks.process_batch" in queued[0]


def test_a_short_job_finishes_while_a_long_import_runs_on_the_documented_layout(
    private_redis, processes, tmp_path
):
    broker = private_redis()
    marks = tmp_path / "marks"
    marks.mkdir()
    # The layout of the README: one worker on the long queue, one on the short ones. The
    # visibility timeout outlasts the long job, so Redis does not hand it out twice.
    processes.worker(
        broker.url,
        "imports",
        queues="imports",
        FAULTS_LINGER_DIR=marks,
        FAULTS_LINGER_SECONDS=20,
        FAULTS_VISIBILITY_TIMEOUT=120,
    )
    processes.worker(broker.url, "short", queues="default,email", FAULTS_VISIBILITY_TIMEOUT=120)
    for name in ("imports", "short"):
        wait_for(lambda name=name: "ready." in processes.log(name), timeout=60, what=f"worker {name} ready")

    send_task(broker.url, LONG, [], "2026-11-20")
    wait_for(lambda: (marks / "started").exists(), timeout=30, what="the long job to start")
    email, _created = email_queue(
        kind="test",
        key_date=dt.date(2026, 11, 20),
        recipient=UserFactory(),
        template="notifications/emails/test",
        context={"name": "李强", "day": dt.date(2026, 11, 20)},
        enqueue=False,
    )
    send_task(broker.url, PROMISES, "2026-11-20T16:00:00")
    send_task(broker.url, "notifications.tasks.send_email", email.pk)

    started = time.monotonic()
    wait_for(
        lambda: succeeded(PROMISES, processes.log("short")), timeout=15, what="the promise check to finish"
    )
    wait_for(
        lambda: OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT,
        timeout=15,
        what="the email to be sent",
    )
    assert not (marks / "finished").exists(), "the long job was already over: the test proves nothing"
    assert time.monotonic() - started < 15
    assert received(LONG, processes.log("imports")) and not received(LONG, processes.log("short"))
    assert not received(PROMISES, processes.log("imports"))

    wait_for(lambda: (marks / "finished").exists(), timeout=60, what="the long job to finish")
    wait_for(
        lambda: succeeded(LONG, processes.log("imports")), timeout=15, what="the long job to be recorded"
    )
