import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from notifications.services import email_requeue_failed


class Command(BaseCommand):
    help = "After an SMTP outage: put emails that failed for good since DATE back in the queue and send them."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD")

    def handle(self, *args, since, **options):
        try:
            day = dt.date.fromisoformat(since)
        except ValueError as exc:
            raise CommandError(f"--since must be a date like 2026-11-20, not {since!r}") from exc
        count = email_requeue_failed(since=day)
        self.stdout.write(f"{count} failed emails queued again.")
