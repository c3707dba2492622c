"""The Celery app. Tasks are discovered in each app's tasks.py; the beat schedule is
CELERY_BEAT_SCHEDULE in the settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_ops.settings.local")

app = Celery("branch_ops")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
