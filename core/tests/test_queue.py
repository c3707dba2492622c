"""core.queue: a burst of calls sends a coalesced task once; a call after it started sends
one more."""

import pytest
from django.core.cache import cache

from core import queue

TASK = "dashboard.tasks.refresh_ledger_figures"


@pytest.fixture
def sent(monkeypatch):
    """The task sends, recorded at the edge (the broker), with the pending mark cleared."""
    calls = []
    monkeypatch.setattr(queue.current_app, "send_task", lambda name, **options: calls.append((name, options)))
    cache.delete(queue._pending_key(TASK))
    yield calls
    cache.delete(queue._pending_key(TASK))


@pytest.mark.redis
@pytest.mark.django_db
def test_a_burst_of_calls_sends_the_task_once_after_the_commit(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            queue.enqueue_coalesced_on_commit(TASK, countdown=5)
        assert sent == [], "nothing is sent before the commit"
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_coalesced_on_commit(TASK, countdown=5)
    assert sent == [(TASK, {"countdown": 5})]


@pytest.mark.redis
@pytest.mark.django_db
def test_a_call_made_once_the_task_started_sends_it_again(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_coalesced_on_commit(TASK, countdown=5)
    queue.coalesced_task_started(TASK)
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_coalesced_on_commit(TASK, countdown=5)
    assert len(sent) == 2
