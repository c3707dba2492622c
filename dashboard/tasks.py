"""Beat jobs of the dashboard: thin wrappers around dashboard.services, safe to rerun."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from core.db_routers import reads_from_replica
from core.queue import coalesced_task_started
from dashboard.selectors import ledger_figures_refresh
from dashboard.services import (
    REFRESH_LEDGER_FIGURES_TASK,
    monthly_reports_generate_all,
    snapshot_build,
)


@shared_task
def build_month_end_snapshot(day: str | None = None) -> int:
    """Beat runs this at 23:30 on the 28th to the 31st; only the month's last day (tomorrow
    is the 1st) builds the snapshot. Rebuilding a date replaces it, so a rerun is safe."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    if (today + dt.timedelta(days=1)).day != 1:
        return 0
    return snapshot_build(as_of=today)


@shared_task
def generate_monthly_reports(month: str | None = None) -> list[int]:
    """Beat runs this on the 1st at 07:00 for the month before. Its figures may come from the
    read replica (they are those of a month end, hours old); the report rows are written to
    the primary."""
    if month:
        first = dt.date.fromisoformat(month).replace(day=1)
    else:
        first = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    with reads_from_replica():
        return monthly_reports_generate_all(month=first)


@shared_task
def refresh_ledger_figures() -> int:
    """After a change of many branches (dashboard.services.ledger_figures_changed), and every
    four minutes (beat): compute today's figures of every branch, then swap them in. Reads the
    primary: a replica may not have the change yet."""
    coalesced_task_started(REFRESH_LEDGER_FIGURES_TASK)
    return ledger_figures_refresh()
