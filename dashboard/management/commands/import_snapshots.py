from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Branch
from dashboard.services import snapshot_import_csv


class Command(BaseCommand):
    help = "Import past portfolio snapshots from a CSV (see the README for the columns)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            rows = snapshot_import_csv(
                data=Path(path).read_bytes(),
                allowed_branch_ids=set(Branch.objects.values_list("id", flat=True)),
            )
        except (OSError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            raise CommandError(message) from None
        self.stdout.write(f"{rows} snapshot rows imported")
