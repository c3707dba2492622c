"""Enqueueing Celery tasks from services.

Tasks import the services they wrap, so a service never imports a tasks module (that would
be an import cycle): it names the task instead, and the task is sent once the current
transaction commits, so a worker never reads rows that are not there yet. A test checks
that every name used here is a registered task.
"""

from celery import current_app
from django.core.cache import cache
from django.db import transaction


def enqueue_on_commit(task_name: str, *args, **kwargs) -> None:
    transaction.on_commit(lambda: current_app.send_task(task_name, args=args, kwargs=kwargs))


def _pending_key(task_name: str) -> str:
    return f"queue:pending:{task_name}"


def enqueue_coalesced_on_commit(task_name: str, *, countdown: float) -> None:
    """Send the task (without arguments) ``countdown`` seconds after the current transaction
    commits, unless one is already pending: the calls of a burst (the ledger-change handlers
    of a million-row import, 500 chunks) made before the task starts send it once. The task
    calls ``coalesced_task_started`` first, so a call made once it runs sends one more."""

    def send():
        if cache.add(_pending_key(task_name), 1, timeout=int(countdown) + PENDING_GRACE):
            current_app.send_task(task_name, countdown=countdown)

    transaction.on_commit(send)


def coalesced_task_started(task_name: str) -> None:
    cache.delete(_pending_key(task_name))


# How long a pending mark outlives its countdown: a task lost with the broker leaves the mark,
# and the next call after this sends another.
PENDING_GRACE = 10 * 60
