import datetime as dt

from celery import shared_task
from django.utils import timezone

from watchlist.services import watchlist_refresh


@shared_task
def refresh_watchlist(as_of: str | None = None) -> int:
    """Daily at 05:20, after the guarantee contagion (05:15) whose flags it reads and before
    the required actions (05:30): refresh the early-warning watchlist. Idempotent."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return len(watchlist_refresh(as_of=day))
