"""The Celery queues, their routes and time limits (README "Worker layout"); base.py
imports them. Nothing here reads the environment."""

from kombu import Queue

# Long jobs never hold up short ones, because each kind has its own queue and, in a
# province, its own workers (README "Worker layout"). Every task not named below is short and
# goes to "default": the 08:30 reminders, the 16:00 promise check, the digests, the heartbeat.
# The routes apply to core.queue.enqueue_on_commit's send_task too (app.amqp.router; a test
# proves it), so a service never names a queue.
TASK_QUEUE_NAMES = ("default", "email", "imports", "reports")
TASKS_BY_QUEUE = {
    # One email each; the only tasks that talk to the SMTP server.
    "email": ["notifications.tasks.send_email"],
    # The ledger file import and the jobs that rewrite every loan after it (or every night).
    "imports": [
        "ledger_import.tasks.process_batch",
        "loans.tasks.run_ledger_change_handlers",
        "loans.tasks.recompute_delinquency",
        "post_loan.tasks.generate_required_actions",
        "post_loan.tasks.mark_late_required_actions",
        "loan_collections.tasks.open_collection_cases",
    ],
    # Long reads over the whole portfolio: snapshots, monthly reports, the fake-mortgage check.
    "reports": [
        "dashboard.tasks.build_month_end_snapshot",
        "dashboard.tasks.generate_monthly_reports",
        "screening.tasks.run_fake_mortgage_check",
    ],
}
# (soft, hard) time limits in seconds per queue. The soft limit raises SoftTimeLimitExceeded in
# the task (its transaction rolls back); the hard one kills the process. A province's
# one-million-row import is the longest job; the Redis visibility timeout must exceed it.
QUEUE_TIME_LIMITS = {
    "default": (10 * 60, 15 * 60),
    "email": (2 * 60, 3 * 60),
    "reports": (110 * 60, 120 * 60),
    "imports": (170 * 60, 180 * 60),
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in TASK_QUEUE_NAMES]
CELERY_TASK_ROUTES = {name: {"queue": queue} for queue, names in TASKS_BY_QUEUE.items() for name in names}
CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT = QUEUE_TIME_LIMITS["default"]
CELERY_TASK_ANNOTATIONS = {
    name: {"soft_time_limit": QUEUE_TIME_LIMITS[queue][0], "time_limit": QUEUE_TIME_LIMITS[queue][1]}
    for queue, names in TASKS_BY_QUEUE.items()
    for name in names
}
# Redis hands an unacknowledged task to another worker only after the visibility timeout,
# which is one value for the whole Redis database, not per queue: every worker restores every
# queue's unacknowledged tasks. So it must exceed the longest task (the imports hard limit) and
# the longest retry countdown (an email's backoff, 30 minutes), or a task still running is
# handed out a second time. The price: a task of a worker killed outright (SIGKILL, power
# loss) runs again only after four hours (README "Worker layout").
REDIS_VISIBILITY_TIMEOUT = 4 * 60 * 60
# On a lost broker connection a running task finishes (its writes commit, and the copy Redis
# hands out again later finds the work done) rather than being cancelled and waiting the
# visibility timeout to start over.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
