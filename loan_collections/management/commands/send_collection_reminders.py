import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from loan_collections.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Queue the collection worklist emails (officers) and summaries (branch heads) for a date, "
        "as the 20th/25th 08:30 job does. Safe to run again: nothing is queued twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD (default today)")

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate()
        result = reminders_send(day=day)
        self.stdout.write(
            f"{day}: {result['queued']} emails queued, {result['existing']} already queued before."
        )
