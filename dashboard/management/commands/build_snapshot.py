import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboard.services import snapshot_build


class Command(BaseCommand):
    help = "Record the ledger as it stands now as the portfolio snapshot of a date (default today)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD, usually a month end (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date (YYYY-MM-DD)") from None
        started = timezone.now()
        try:
            rows = snapshot_build(as_of=day)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"snapshot {day}: {rows} rows in {seconds:.1f} s")
