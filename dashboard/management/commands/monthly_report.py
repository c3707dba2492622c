import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Branch
from dashboard.services import monthly_report_generate, monthly_reports_generate_all


class Command(BaseCommand):
    help = "Generate the monthly post-loan report (Excel + PDF) and email it to the branch head."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--branch", help="branch code (default: every branch with a branch head)")

    def handle(self, *args, month, branch=None, **options):
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise CommandError(f"--month {month!r} is not a month (YYYY-MM)") from None
        try:
            if branch:
                found = Branch.objects.filter(code=branch).first()
                if found is None:
                    raise CommandError(f"no branch {branch!r}")
                ids = [monthly_report_generate(branch_id=found.pk, month=first).pk]
            else:
                ids = monthly_reports_generate_all(month=first)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(f"{len(ids)} report(s) for {first:%Y-%m}")
