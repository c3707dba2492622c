from django.core.management.base import BaseCommand

from ledger_import.management.commands.import_ledger import run_file
from ledger_import.models import BatchKind


class Command(BaseCommand):
    help = "Import a repayment file (借据号, 还款日期, 还款本金, 还款利息, 流水号): all or nothing, once per 流水号."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        run_file(self, path, kind=BatchKind.REPAYMENTS)
