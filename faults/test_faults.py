"""Faults against the real services, with nothing lost or doubled: a worker killed mid-run,
Redis restarted between enqueue and run, the PostgreSQL connection cut mid-import, and beat
started twice. Workers and beats are real `celery` processes on private Redis servers."""

import threading
import time

import psycopg2
import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError

from accounts.factories import StaffProfileFactory, make_staff
from accounts.models import Role
from faults.conftest import send_task, test_database_url, wait_for
from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.models import BatchStatus
from ledger_import.services import batch_create, batch_process
from ledger_import.services import imports as import_services
from loans.models import Borrower, Loan
from notifications.models import EmailStatus, OutgoingEmail

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REMINDERS = "loan_collections.tasks.send_collection_reminders"
DAY = "2026-11-20"


@pytest.fixture
def staff(branch):
    """Six loan officers and the branch head: seven reminder emails on the 20th."""
    officers = [make_staff(role=Role.OFFICER, branch=branch) for _ in range(6)]
    return [*officers, make_staff(role=Role.BRANCH_HEAD, branch=branch)]


def sent_count() -> int:
    return OutgoingEmail.objects.filter(status=EmailStatus.SENT, key_date=DAY).count()


def assert_each_person_mailed_once(staff, processes):
    rows = list(OutgoingEmail.objects.filter(key_date=DAY))
    assert sorted(row.recipient_id for row in rows) == sorted(user.pk for user in staff)
    assert {row.status for row in rows} == {EmailStatus.SENT}
    written = processes.mail_keys()
    assert set(written) == {f"{row.kind}/{row.key_date}/{row.recipient_id}" for row in rows}
    assert set(written.values()) == {1}, f"an email was written more than once: {written}"


def test_a_worker_killed_mid_reminder_run_and_restarted_mails_everyone_exactly_once(
    staff, private_redis, processes
):
    broker = private_redis()
    # A slow mail server (0.8 s a message) so the kill lands while the run is sending.
    worker = processes.worker(broker.url, "w1", FAULTS_SEND_DELAY=0.8)
    send_task(broker.url, REMINDERS, DAY)

    def some_sent_and_recorded():
        done = sent_count()
        return done >= 2 and done == sum(processes.mail_keys().values())

    wait_for(some_sent_and_recorded, timeout=90, what="the first emails to go out")
    processes.kill(worker)  # SIGKILL: no warm shutdown, the task in hand is never acknowledged
    assert sent_count() < len(staff), "the run finished before the kill"
    assert OutgoingEmail.objects.filter(key_date=DAY).count() == len(staff)

    time.sleep(3.5)  # the (test) visibility timeout: the unacknowledged task becomes visible again
    processes.worker(broker.url, "w2")
    # w2 is handed the task w1 held (redelivered) and the ones still queued, and runs them all.
    wait_for(broker.drained, timeout=90, what="the queued and redelivered tasks to run")
    # A kill in the millisecond between Redis handing w1 its next task (BRPOP) and w1 recording
    # it as unacknowledged loses that task with w1: Redis as a broker cannot close that gap.
    # Its email row is still queued, and the ten-minute sweep sends it. Ten minutes pass here.
    queued = OutgoingEmail.objects.filter(key_date=DAY, status=EmailStatus.QUEUED)
    queued.update(created_at=OutgoingEmail.objects.first().created_at.replace(year=2025))
    send_task(broker.url, "notifications.tasks.send_queued_emails")
    wait_for(lambda: sent_count() == len(staff), timeout=90, what="every email to be sent")
    time.sleep(1)  # anything still in flight would show as a second copy
    assert_each_person_mailed_once(staff, processes)


def test_a_job_enqueued_before_a_redis_restart_runs_once_redis_is_back(staff, private_redis, processes):
    # Redis keeps its queue across a restart only with persistence on: an append-only file.
    broker = private_redis(persistent=True)
    send_task(broker.url, REMINDERS, DAY)
    assert broker.queue_length() == 1
    broker.stop()
    broker.start()
    assert broker.queue_length() == 1, "the queued job did not survive the restart"
    processes.worker(broker.url, "w1")
    wait_for(lambda: sent_count() == len(staff), timeout=90, what="every email to be sent")
    time.sleep(1)
    assert_each_person_mailed_once(staff, processes)


def test_redis_restarted_while_a_worker_is_mid_run_loses_and_doubles_nothing(staff, private_redis, processes):
    broker = private_redis(persistent=True)
    processes.worker(broker.url, "w1", FAULTS_SEND_DELAY=0.8)
    send_task(broker.url, REMINDERS, DAY)
    wait_for(lambda: sent_count() >= 2, timeout=90, what="the first emails to go out")
    broker.stop()
    time.sleep(1)
    broker.start()
    wait_for(lambda: sent_count() == len(staff), timeout=120, what="every email to be sent")
    time.sleep(4)  # past the visibility timeout: a redelivered task would write a second copy now
    assert_each_person_mailed_once(staff, processes)


def test_emails_whose_send_tasks_were_lost_with_a_redis_without_persistence_are_swept_up(
    staff, private_redis, processes
):
    # A Redis that keeps nothing: the reminder run queued its rows and send tasks, then Redis
    # restarted before a worker took them. The ten-minute sweep enqueues them again.
    broker = private_redis(persistent=False)
    from loan_collections.reminders import reminders_send

    reminders_send(day=__import__("datetime").date.fromisoformat(DAY))
    OutgoingEmail.objects.update(created_at=OutgoingEmail.objects.first().created_at.replace(year=2025))
    broker.stop()
    broker.start()
    assert broker.queue_length() == 0
    send_task(broker.url, "notifications.tasks.send_queued_emails")
    processes.worker(broker.url, "w1")
    wait_for(lambda: sent_count() == len(staff), timeout=90, what="every email to be sent")
    assert_each_person_mailed_once(staff, processes)


def test_beat_started_twice_with_two_workers_sends_no_duplicate_reminder(staff, private_redis, processes):
    broker = private_redis()
    processes.worker(broker.url, "w1")
    processes.worker(broker.url, "w2")
    # Two beats, each sending the day-20 run every second to the same queue.
    processes.beat(broker.url, "beat1", FAULTS_BEAT_DAY=DAY)
    processes.beat(broker.url, "beat2", FAULTS_BEAT_DAY=DAY)

    def runs() -> int:
        logs = processes.log("w1") + processes.log("w2")
        return logs.count(f"{REMINDERS}[") and logs.count("succeeded in")

    wait_for(lambda: sent_count() == len(staff), timeout=90, what="every email to be sent")
    wait_for(lambda: runs() >= 6, timeout=60, what="several runs of the reminder job")
    for name in ("beat1", "beat2"):
        wait_for(
            lambda name=name: "Sending due task send-collection-reminders" in processes.log(name),
            timeout=30,
            what=f"{name} to send the job",
        )
    processes.stop_all()
    assert OutgoingEmail.objects.filter(key_date=DAY).count() == len(staff)
    assert_each_person_mailed_once(staff, processes)


@pytest.fixture
def ledger_officers(branch):
    return [
        StaffProfileFactory(branch=branch, role=Role.OFFICER, employee_no=number).user
        for number in ("K0001", "K0002")
    ]


def _terminate(pid: int) -> bool:
    """Cut a backend from another connection, as a DBA, a failover or a network drop would."""
    admin = psycopg2.connect(test_database_url())
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            return cursor.fetchone()[0]
    finally:
        admin.close()


def test_a_connection_lost_mid_import_rolls_back_whole_and_the_file_imports_again(
    ledger_officers, branch_head, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = ledger_csv([ledger_row(officer_no=("K0001", "K0002")[n % 2]) for n in range(400)])
    batch = batch_create(data=data, file_name="ledger.csv", uploaded_by=branch_head, enqueue=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    seen = {}
    original = import_services.ledger_changed

    def cut_the_connection(**kwargs):
        # Inside the write transaction: every row is merged, the change handlers not yet run.
        seen["loans_in_transaction"] = Loan.objects.count()
        killer = threading.Thread(target=lambda: seen.update(killed=_terminate(pid)))
        killer.start()
        killer.join()
        return original(**kwargs)

    monkeypatch.setattr(import_services, "ledger_changed", cut_the_connection)
    with pytest.raises((OperationalError, InterfaceError)):
        batch_process(batch_id=batch.pk)
    monkeypatch.undo()
    assert seen == {"loans_in_transaction": 400, "killed": True}

    connection.close()  # what the worker does after a task; the next query reconnects
    assert Loan.objects.count() == 0
    assert Borrower.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED

    again = batch_create(data=data, file_name="ledger.csv", uploaded_by=branch_head, enqueue=False)
    batch_process(batch_id=again.pk)
    again.refresh_from_db()
    assert again.status == BatchStatus.SUCCEEDED, again.errors
    assert again.summary["created"] == 400
    assert Loan.objects.count() == 400
