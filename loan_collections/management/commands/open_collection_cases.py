import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from loan_collections.services import cases_sync


class Command(BaseCommand):
    help = "Open, update and close collection cases from the ledger (what the daily 07:00 job does)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="figures as of YYYY-MM-DD (default today)"
        )

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate()
        result = cases_sync(as_of=day)
        self.stdout.write(
            f"{day}: {result['opened']} cases opened, {result['updated']} updated "
            f"({result['intensive']} moved to intensive collection), {result['closed']} closed."
        )
