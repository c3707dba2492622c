import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from compliance.services import morning_meetings_create


class Command(BaseCommand):
    help = (
        "Create the week's Monday morning meeting for every branch (idempotent; beat runs it Monday 07:30)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="a day of the week (default: today)")

    def handle(self, *args, **options):
        created = morning_meetings_create(day=options["date"] or timezone.localdate())
        self.stdout.write(f"morning meetings created: {len(created)}")
