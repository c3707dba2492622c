"""The queues and time limits of the settings (README "Worker layout"); faults/test_queues.py
runs them on real workers."""

import ast

from django.conf import settings

from branch_ops.celery import app
from core.tests.imports import ROOT

LONG_QUEUES = ("imports", "reports")


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_long_jobs_and_emails_are_routed_off_the_default_queue():
    assert _queue_of("ledger_import.tasks.process_batch") == "imports"
    assert _queue_of("loans.tasks.run_ledger_change_handlers") == "imports"
    assert _queue_of("dashboard.tasks.generate_monthly_reports") == "reports"
    assert _queue_of("notifications.tasks.send_email") == "email"
    # The jobs that must run on time stay on the short queue.
    assert _queue_of("loan_collections.tasks.send_collection_reminders") == "default"
    assert _queue_of("loan_collections.tasks.check_promises") == "default"


def test_every_task_goes_to_a_queue_the_workers_consume():
    app.loader.import_default_modules()
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    queues = {name: _queue_of(name) for name in ours}
    assert set(queues.values()) <= set(settings.TASK_QUEUE_NAMES)
    assert {queue.name for queue in app.amqp.queues.values()} == set(settings.TASK_QUEUE_NAMES)
    routed = set(settings.CELERY_TASK_ROUTES)
    assert routed <= set(ours), routed - set(ours)


def test_each_task_carries_its_queues_time_limits():
    app.loader.import_default_modules()
    for name in app.tasks:
        if name.startswith("celery."):
            continue
        soft, hard = settings.QUEUE_TIME_LIMITS[_queue_of(name)]
        task = app.tasks[name]
        assert (task.soft_time_limit, task.time_limit) == (soft, hard), name
        assert soft < hard


def test_redis_visibility_timeout_outlasts_the_longest_task_and_retry_countdown(settings):
    longest = max(hard for _soft, hard in settings.QUEUE_TIME_LIMITS.values())
    assert longest == settings.QUEUE_TIME_LIMITS["imports"][1]
    retry_countdown = app.tasks["notifications.tasks.send_email"].retry_backoff_max
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert timeout > longest and timeout > retry_countdown


def test_the_local_run_starts_a_worker_on_every_queue():
    tree = ast.parse((ROOT / "scripts" / "run_local.py").read_text())
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]
    assert "-Q" in strings
    assert strings[strings.index("-Q") + 1].split(",") == sorted(settings.TASK_QUEUE_NAMES)
