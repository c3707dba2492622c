import datetime as dt

from celery import shared_task
from django.utils import timezone

from compliance.services import compliance_reminders_send, morning_meetings_create


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate()


@shared_task
def create_morning_meetings(day: str | None = None) -> int:
    """Monday 07:30: this week's morning meeting for every branch (idempotent)."""
    return len(morning_meetings_create(day=_day(day)))


@shared_task
def send_compliance_reminders(day: str | None = None) -> int:
    """Daily: overdue acknowledgements and missed meetings, one email per reason per week."""
    return compliance_reminders_send(today=_day(day))
