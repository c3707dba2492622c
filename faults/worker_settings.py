"""Settings of the Celery worker and beat processes the fault tests start: the test settings,
with mail written to files (one message per file) and a short visibility timeout so a task
held by a killed worker is delivered again within seconds instead of an hour."""

from branch_ops.settings.test import *  # noqa: F403
from branch_ops.settings.test import env

EMAIL_BACKEND = "faults.slow_mail.SlowFileBackend"
EMAIL_FILE_PATH = env.str("FAULTS_MAIL_DIR")
# kombu looks for tasks past the visibility timeout when a worker starts, then every tenth
# sweep of ten seconds; here every second, so a redelivery is never a hundred seconds away.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("FAULTS_VISIBILITY_TIMEOUT", default=3),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_BACKEND = None

_BEAT_DAY = env.str("FAULTS_BEAT_DAY", default="")
if _BEAT_DAY:
    # Beat sends the day-20 reminder run every second (the real entry is the 20th and 25th, 08:30).
    CELERY_BEAT_SCHEDULE = {
        "send-collection-reminders": {
            "task": "loan_collections.tasks.send_collection_reminders",
            "schedule": 1.0,
            "args": [_BEAT_DAY],
        }
    }

if env.str("FAULTS_LINGER_DIR", default=""):
    # After the ledger changes, a handler that takes FAULTS_LINGER_SECONDS, like the
    # after-import work of a province's million-row file (faults/linger.py).
    LEDGER_CHANGE_HANDLERS = [*LEDGER_CHANGE_HANDLERS, "faults.linger.linger_on_ledger_changed"]  # noqa: F405
