from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task
def ping() -> str:
    """Round-trip check: a worker that answers is consuming from the broker."""
    return "pong"


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Beat's proof of life: records when a worker last ran a scheduled task."""
    cache.set("branch_ops:worker_heartbeat", timezone.now().isoformat(), timeout=None)
