import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from compliance.services import compliance_reminders_send


class Command(BaseCommand):
    help = "Queue reminder emails: acknowledgements over 7 days old, two missed meetings in a row."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="today's date (default: today)")

    def handle(self, *args, **options):
        queued = compliance_reminders_send(today=options["date"] or timezone.localdate())
        self.stdout.write(f"compliance reminders queued: {queued}")
