"""Thin, idempotent Celery wrappers around the collection services (dates as ISO strings)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from loan_collections.reminders import reminders_send
from loan_collections.services import cases_sync, promises_check


@shared_task
def open_collection_cases(day: str | None = None) -> dict:
    """Daily 07:00: open, update and close cases from yesterday's ledger figures."""
    as_of = dt.date.fromisoformat(day) if day else timezone.localdate()
    return cases_sync(as_of=as_of)


@shared_task
def check_promises(at: str | None = None) -> dict:
    """Daily 16:00: check the promises due today (and any earlier ones still pending)."""
    moment = dt.datetime.fromisoformat(at) if at else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return promises_check(at=moment)


@shared_task
def send_collection_reminders(day: str | None = None) -> dict:
    """20th and 25th at 08:30: the officers' worklists and the branch heads' summaries."""
    return reminders_send(day=dt.date.fromisoformat(day) if day else timezone.localdate())
