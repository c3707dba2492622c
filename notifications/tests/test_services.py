import datetime as dt
import smtplib
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.factories import UserFactory
from branch_ops.celery import app
from notifications import services
from notifications.models import EmailStatus, OutgoingEmail
from notifications.services import email_queue, email_queue_many, email_send
from notifications.tasks import send_email

DAY = dt.date(2026, 11, 20)


def _queue(user, **kwargs):
    return email_queue(
        kind="test",
        key_date=DAY,
        recipient=user,
        template="notifications/emails/test",
        context={"name": "李强", "day": DAY},
        enqueue=False,
        **kwargs,
    )


@pytest.mark.django_db
def test_queuing_the_same_email_twice_keeps_one_row():
    user = UserFactory()
    first, created = _queue(user)
    second, created_again = _queue(user)
    assert created and not created_again and first.pk == second.pk
    assert OutgoingEmail.objects.count() == 1
    assert "测试邮件" in first.subject


def _many(users):
    items = [(user, "notifications/emails/test", {"name": user.username, "day": DAY}) for user in users]
    return email_queue_many(kind="test", key_date=DAY, items=items)


@pytest.mark.django_db
def test_queuing_many_skips_whoever_has_the_email_already_in_chunks(monkeypatch):
    monkeypatch.setattr(services, "QUEUE_MANY_CHUNK", 2)
    users = UserFactory.create_batch(5)
    mailed, _ = _queue(users[1])
    ids = _many(users)
    assert len(ids) == 4 and mailed.pk not in ids
    rows = OutgoingEmail.objects.filter(pk__in=ids)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(u.pk for u in users if u != users[1])
    assert all("测试邮件" in row.subject for row in rows)
    assert _many(users) == [] and OutgoingEmail.objects.count() == 5


@pytest.mark.django_db
def test_queuing_many_that_collides_on_insert_keeps_one_row_per_person():
    # The same person twice in one chunk: the look finds neither, the one INSERT collides on
    # the unique key, as with a second run inserting between our look and our INSERT.
    user, other = UserFactory.create_batch(2)
    ids = _many([user, other, user])
    assert len(ids) == 2
    assert OutgoingEmail.objects.filter(recipient=user).count() == 1
    assert OutgoingEmail.objects.count() == 2


@pytest.mark.django_db
def test_a_sent_email_is_never_sent_again():
    email, _ = _queue(UserFactory())
    email_send(email_id=email.pk)
    email_send(email_id=email.pk)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1


@pytest.mark.django_db
def test_an_email_sent_again_after_a_crash_carries_the_same_message_id_for_the_receiver_to_drop(settings):
    settings.DEFAULT_FROM_EMAIL = "贷后管理系统 <branch-ops@hengdong.bank.example>"
    email, _ = _queue(UserFactory())
    other, _ = _queue(UserFactory())
    email_send(email_id=email.pk)
    # A worker killed after the SMTP server accepted the message, before "sent" was committed:
    # the row is still queued, and the retry sends it again.
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.QUEUED, sent_at=None)
    email_send(email_id=email.pk)
    email_send(email_id=other.pk)
    ids = [message.message()["Message-ID"] for message in mail.outbox]
    assert ids[0] == ids[1] == f"<branch-ops.email.{email.pk}@hengdong.bank.example>"
    assert ids[2] == f"<branch-ops.email.{other.pk}@hengdong.bank.example>"


@pytest.mark.django_db
def test_smtp_failure_is_recorded_and_raised_for_retry(settings, monkeypatch):
    email, _ = _queue(UserFactory())

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED and email.attempts == 1 and "gone" in email.last_error


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_by_a_real_worker_exactly_once():
    user = UserFactory()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # Autocommit: the send task is enqueued on commit, i.e. at once, through Redis.
        email, _ = email_queue(
            kind="test",
            key_date=DAY,
            recipient=user,
            template="notifications/emails/test",
            context={"name": "李强", "day": DAY},
        )
        for _ in range(200):
            email.refresh_from_db()
            if email.status == EmailStatus.SENT:
                break
            time.sleep(0.05)
        # A second delivery of the task (a retry, a second beat) finds it sent.
        assert send_email.delay(email.pk).get(timeout=20) == "skipped"
    assert email.status == EmailStatus.SENT
    assert len([message for message in mail.outbox if message.to == [user.email]]) == 1
