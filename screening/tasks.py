import datetime as dt

from celery import shared_task
from django.utils import timezone

from screening.services import fake_mortgage_check


@shared_task
def run_fake_mortgage_check(as_of: str | None = None) -> int:
    """Daily fake-mortgage check; idempotent (a flag and its action are created once)."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return len(fake_mortgage_check(as_of=day))
