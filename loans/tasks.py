import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from loans.services import delinquency_recompute, observation_check


@shared_task
def run_ledger_change_handlers(loan_ids: list[int], as_of: str) -> int:
    """Run every LEDGER_CHANGE_HANDLERS function for these loans (each is idempotent)."""
    day = dt.date.fromisoformat(as_of)
    for path in settings.LEDGER_CHANGE_HANDLERS:
        import_string(path)(loan_ids=loan_ids, as_of=day)
    return len(loan_ids)


@shared_task
def recompute_delinquency(as_of: str | None = None) -> int:
    """The daily job (beat, 05:00): days past due, buckets and the floor for every loan."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return delinquency_recompute(as_of=day)


@shared_task
def check_restructuring_observation(as_of: str | None = None) -> int:
    """The daily job (beat, 05:10, after the recompute): restart the observation period of
    restructured loans with a missed instalment (idempotent)."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return observation_check(as_of=day)
