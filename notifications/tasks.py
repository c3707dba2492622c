import datetime as dt

from celery import shared_task
from django.utils import timezone

from notifications.models import EmailStatus, OutgoingEmail
from notifications.services import TRANSIENT_EMAIL_ERRORS, email_send


@shared_task(
    autoretry_for=TRANSIENT_EMAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_email(email_id: int) -> str:
    """Send one queued email (idempotent: a sent row is skipped). SMTP and network errors
    are retried with exponential backoff; anything else is a bug and is not retried."""
    email = email_send(email_id=email_id)
    return email.status if email else "skipped"


@shared_task
def send_queued_emails() -> int:
    """Sweep: enqueue emails queued over ten minutes ago and still unsent (e.g. their task was
    lost with a broker restart). Sending is idempotent, so an extra task is harmless."""
    stale = timezone.now() - dt.timedelta(minutes=10)
    ids = list(
        OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, created_at__lt=stale).values_list(
            "pk", flat=True
        )[:5000]
    )
    for email_id in ids:
        send_email.delay(email_id)
    return len(ids)
