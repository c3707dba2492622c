import pytest
from celery.contrib.testing.worker import start_worker

from accounts.tasks import ping
from branch_ops.celery import app


@pytest.mark.redis
def test_a_task_round_trips_through_redis_to_a_real_worker():
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"
