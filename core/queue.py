"""Enqueueing Celery tasks from services.

Tasks import the services they wrap, so a service never imports a tasks module (that would
be an import cycle): it names the task instead, and the task is sent once the current
transaction commits, so a worker never reads rows that are not there yet. A test checks
that every name used here is a registered task.
"""

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, *args, **kwargs) -> None:
    transaction.on_commit(lambda: current_app.send_task(task_name, args=args, kwargs=kwargs))
