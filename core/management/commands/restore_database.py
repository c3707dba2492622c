from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, Target, database_restore


class Command(BaseCommand):
    help = (
        "Restore a pg_dump custom-format backup with pg_restore, in one transaction. Refuses a "
        "database that already has tables unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .dump file written by backup_database")
        parser.add_argument("--database-url", help="restore into this database instead of DATABASE_URL's")
        parser.add_argument(
            "--force", action="store_true", help="replace what the database holds with the backup"
        )

    def handle(self, *args, file, database_url=None, force=False, **options):
        target = Target.from_url(database_url) if database_url else Target.from_settings()
        verb = "Replacing the contents of" if force else "Restoring into"
        self.stdout.write(f"{verb} the {target.describe()} from {file} …")
        try:
            database_restore(target=target, source=Path(file), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not database_url:
            # The cache holds figures computed from the database as it was before.
            cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Restored {file} into the {target.describe()}."))
