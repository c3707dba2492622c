import datetime as dt

from celery import shared_task
from django.utils import timezone

from guarantees.services import guarantee_contagion_run


@shared_task
def run_guarantee_contagion(as_of: str | None = None) -> int:
    """Daily, after the delinquency recompute: flag the loans of guarantee circles with an
    overdue member; idempotent (a flag and its action are created once)."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return len(guarantee_contagion_run(as_of=day))
