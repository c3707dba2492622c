import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loans.services import delinquency_recompute


class Command(BaseCommand):
    help = "Recompute days past due, overdue amounts, buckets and the classification floor of every loan."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        try:
            as_of = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        started = time.monotonic()
        changed = delinquency_recompute(as_of=as_of)
        self.stdout.write(f"{changed} loans changed as of {as_of} in {time.monotonic() - started:.1f} s")
