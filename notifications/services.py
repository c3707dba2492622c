"""Outgoing email as database rows: queue once, claim, send, record.

Usage from any app's service:

    email, created = email_queue(
        kind="collection_worklist", key_date=day, recipient=officer,
        template="loan_collections/emails/worklist", context={...},
    )

renders ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` in the
recipient's language (Chinese by default), stores the row (or finds the existing one for
the same kind, date and recipient) and, on commit, enqueues ``notifications.tasks.send_email``.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.queue import enqueue_on_commit
from notifications.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

# Errors worth retrying: the mail server or the network, not our own code.
TRANSIENT_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
MAX_ATTEMPTS = 5


def email_render(*, template: str, context: dict, language: str | None = None) -> tuple[str, str, str]:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def _email_row(*, kind: str, key_date: dt.date, recipient, template: str, context: dict) -> OutgoingEmail:
    """The unsaved row of one email, rendered in the default language."""
    subject, text, html = email_render(template=template, context=context)
    return OutgoingEmail(
        kind=kind,
        key_date=key_date,
        recipient=recipient,
        to_address=recipient.email,
        subject=subject,
        body_text=text,
        body_html=html,
    )


def email_queue(
    *,
    kind: str,
    key_date: dt.date,
    recipient,
    template: str,
    context: dict,
    enqueue: bool = True,
) -> tuple[OutgoingEmail, bool]:
    """Queue one email; the same (kind, key_date, recipient) is queued at most once.

    Returns the row and whether it was created now. With ``enqueue`` the send task is
    sent on commit; bulk jobs may pass ``enqueue=False`` and call ``email_enqueue_many``.
    """
    existing = OutgoingEmail.objects.filter(kind=kind, key_date=key_date, recipient=recipient).first()
    if existing is not None:
        return existing, False
    email = _email_row(kind=kind, key_date=key_date, recipient=recipient, template=template, context=context)
    try:
        with transaction.atomic():
            email.save(force_insert=True)
    except IntegrityError:
        # Another worker or beat queued it between our look and our insert.
        return OutgoingEmail.objects.get(kind=kind, key_date=key_date, recipient=recipient), False
    if enqueue:
        email_enqueue_many(email_ids=[email.pk])
    return email, True


# Emails rendered and inserted at a time by email_queue_many (each holds its HTML body).
QUEUE_MANY_CHUNK = 200


def email_queue_many(*, kind: str, key_date: dt.date, items: Iterable[tuple]) -> list[int]:
    """Queue many emails of one kind and date: ``items`` are (recipient, template, context).

    Renders and inserts them QUEUE_MANY_CHUNK at a time, one INSERT per chunk instead of a
    look-up and an INSERT per email (a province's day-20 run queues 2,500). A recipient who
    has the email already is skipped, as by email_queue. Returns the ids queued now; the send
    tasks are the caller's (email_enqueue_many), once its transaction commits."""
    created: list[int] = []
    chunk: list[tuple] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == QUEUE_MANY_CHUNK:
            created += _queue_chunk(kind, key_date, chunk)
            chunk = []
    if chunk:
        created += _queue_chunk(kind, key_date, chunk)
    return created


def _queue_chunk(kind: str, key_date: dt.date, items: list[tuple]) -> list[int]:
    recipients = [recipient for recipient, _template, _context in items]
    existing = set(
        OutgoingEmail.objects.filter(kind=kind, key_date=key_date, recipient__in=recipients).values_list(
            "recipient_id", flat=True
        )
    )
    rows = [
        _email_row(kind=kind, key_date=key_date, recipient=recipient, template=template, context=context)
        for recipient, template, context in items
        if recipient.pk not in existing
    ]
    try:
        with transaction.atomic():
            return [row.pk for row in OutgoingEmail.objects.bulk_create(rows)]
    except IntegrityError:
        # Another run queued some of them between our look and our insert: one at a time.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.pk = None
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(row.pk)
        return created


def email_enqueue_many(*, email_ids: list[int]) -> None:
    """Send each email's task once the current transaction commits."""
    for email_id in email_ids:
        enqueue_on_commit("notifications.tasks.send_email", email_id)


def email_message_id(*, email_id: int) -> str:
    """The Message-ID of an email row: the same every time the row is sent.

    A worker that dies after the SMTP server accepted the message but before the row's
    "sent" status is committed leaves the row queued, and it is sent again. Both copies then
    carry this one Message-ID, so the receiving mail server and mail clients can drop the
    second (README "Worker layout")."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<branch-ops.email.{email_id}@{domain}>"


def email_send(*, email_id: int) -> OutgoingEmail | None:
    """Send one queued email. Claims the row with SELECT ... FOR UPDATE SKIP LOCKED so two
    workers never send it twice; a row already sent or failed for good is left alone.
    Raises a transient error for the task to retry."""
    failure: Exception | None = None
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=EmailStatus.QUEUED)
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to_address],
            headers={
                "Message-ID": email_message_id(email_id=email.pk),
                "X-Branch-Ops-Key": f"{email.kind}/{email.key_date}/{email.recipient_id}",
            },
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        try:
            message.send(fail_silently=False)
        except TRANSIENT_EMAIL_ERRORS as exc:
            failure = exc
            email.last_error = f"{type(exc).__name__}: {exc}"
            if email.attempts >= MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
                logger.error("email %s failed for good after %s attempts: %s", email.pk, email.attempts, exc)
            email.save(update_fields=["attempts", "last_error", "status"])
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    # Raised after the commit, so the attempt is recorded; the task retries with backoff.
    if failure is not None and email.status == EmailStatus.QUEUED:
        raise failure
    return email


def email_requeue_failed(*, since: dt.date) -> int:
    """Ops: after an SMTP outage, put failed emails back in the queue and send them."""
    ids = list(
        OutgoingEmail.objects.filter(status=EmailStatus.FAILED, key_date__gte=since).values_list(
            "pk", flat=True
        )
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(status=EmailStatus.QUEUED, attempts=0)
    email_enqueue_many(email_ids=ids)
    return len(ids)
