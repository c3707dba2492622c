import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from post_loan.services import required_actions_generate, required_actions_mark_late


class Command(BaseCommand):
    help = (
        "Create the post-loan required actions due (what the daily 05:30 job runs). Safe to run "
        "again: the same loan, template and due date is never created twice. Prints how many "
        "actions were created."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to generate for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--mark-late", action="store_true", help="also mark pending actions past their due date late"
        )

    def handle(self, *args, date=None, mark_late=False, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be a date like 2026-11-20, not {date!r}") from exc
        created = required_actions_generate(as_of=day)
        self.stdout.write(f"{created} required actions created for {day.isoformat()}.")
        if mark_late:
            late = required_actions_mark_late(as_of=day)
            self.stdout.write(f"{late} actions marked late.")
