"""Scheduled jobs of the required actions: thin, idempotent wrappers around the services."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from post_loan.services import (
    actions_digest_send,
    coming_due_weekly_digest_send,
    late_actions_weekly_digest_send,
    required_actions_generate,
    required_actions_mark_late,
)


def _day(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else timezone.localdate()


@shared_task
def generate_required_actions(as_of: str | None = None) -> int:
    return required_actions_generate(as_of=_day(as_of))


@shared_task
def mark_late_required_actions(as_of: str | None = None) -> int:
    return required_actions_mark_late(as_of=_day(as_of))


@shared_task
def send_actions_digest(day: str | None = None) -> int:
    return actions_digest_send(day=_day(day))


@shared_task
def send_late_actions_weekly_digest(day: str | None = None) -> int:
    return late_actions_weekly_digest_send(day=_day(day))


@shared_task
def send_coming_due_weekly_digest(day: str | None = None) -> int:
    return coming_due_weekly_digest_send(day=_day(day))
