from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, Target, backup_dir, database_backup


class Command(BaseCommand):
    help = (
        "Back up the database with pg_dump in custom format (-Fc) to "
        "BACKUP_DIR/branch_ops-YYYYmmdd-HHMMSS.dump (default var/backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="a file or folder (default: BACKUP_DIR or var/backups)")
        parser.add_argument("--database-url", help="back up this database instead of DATABASE_URL's")

    def handle(self, *args, output=None, database_url=None, **options):
        target = Target.from_url(database_url) if database_url else Target.from_settings()
        destination = Path(output) if output else backup_dir()
        self.stdout.write(f"Backing up the {target.describe()} to {destination} …")
        try:
            written = database_backup(target=target, destination=destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = written.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written: {written} ({size:,} bytes)."))
