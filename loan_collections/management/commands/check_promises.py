import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loan_collections.services import promises_check


class Command(BaseCommand):
    help = "Check promised repayments (what the daily 16:00 job does), e.g. --at '2026-11-20 16:00'."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="YYYY-MM-DD HH:MM, Asia/Shanghai (default now)")

    def handle(self, *args, **options):
        if options["at"]:
            try:
                moment = dt.datetime.strptime(options["at"] + " +0800", "%Y-%m-%d %H:%M %z")
            except ValueError as exc:
                raise CommandError("--at must look like '2026-11-20 16:00'") from exc
        else:
            moment = timezone.now()
        result = promises_check(at=moment)
        self.stdout.write(
            f"{timezone.localtime(moment):%Y-%m-%d %H:%M}: {result['checked']} promises checked: "
            f"{result['kept']} kept, {result['partial']} partial, {result['broken']} broken; "
            f"{result['emails']} emails queued."
        )
