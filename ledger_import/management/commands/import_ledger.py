import datetime as dt
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from ledger_import.models import BatchKind, BatchStatus
from ledger_import.parsing import reason_text
from ledger_import.services import batch_create, batch_process


def print_batch(command: BaseCommand, batch) -> None:
    """The summary of a finished batch, or every error of a rejected one (then exit 1)."""
    for issue in batch.warnings:
        command.stdout.write(f"warning: row {issue['row']} {issue['column']}: {reason_text(issue['reason'])}")
    if batch.status != BatchStatus.SUCCEEDED:
        for issue in batch.errors:
            where = f"row {issue['row']} {issue['column']}" if issue["row"] else "file"
            command.stderr.write(f"error: {where}: {reason_text(issue['reason'])}")
        raise CommandError(
            f"{batch.file_name}: {batch.get_status_display()}, {len(batch.errors)} errors; nothing changed."
        )
    summary = batch.summary
    parts = ", ".join(
        f"{key.replace('_', ' ')} {summary[key]}"
        for key in (
            "rows",
            "created",
            "updated",
            "unchanged",
            "skipped_stale",
            "missing_count",
            "borrowers_created",
            "borrowers_updated",
            "recorded",
            "already_recorded",
        )
        if key in summary
    )
    command.stdout.write(command.style.SUCCESS(f"{batch.file_name}: {parts}, warnings {len(batch.warnings)}"))
    for entry in summary.get("missing", [])[:50]:
        command.stdout.write(f"missing from file: {entry['loan_no']} {entry['borrower']} {entry['balance']}")


def run_file(command: BaseCommand, path: str, *, kind: str, as_of: dt.date | None = None) -> None:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")

    def echo(stage, done, total):
        command.stdout.write(f"{stage}: {done}/{total}")

    with file.open("rb") as handle:
        batch = batch_create(data=File(handle), file_name=file.name, as_of=as_of, kind=kind, enqueue=False)
    batch = batch_process(batch_id=batch.pk, echo=echo)
    print_batch(command, batch)


class Command(BaseCommand):
    help = "Import a loan ledger file (.xlsx or .csv) from the core banking system: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, path, as_of, **options):
        run_file(self, path, kind=BatchKind.LEDGER, as_of=as_of)
