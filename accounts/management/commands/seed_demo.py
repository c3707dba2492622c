from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# The demo seeds, in the order they build on each other: staff first, then the ledger
# imported from a generated core-banking file, then what the branch records about those
# loans (schedules and history, collections, compliance, required actions, screening),
# and last the month-end snapshots the dashboard reads.
DEMO_MODULES = (
    "accounts.demo",
    "ledger_import.demo",
    "loans.demo",
    "loan_collections.demo",
    "compliance.demo",
    "post_loan.demo",
    "screening.demo",
    "guarantees.demo",
    "dashboard.demo",
    # After the month-end snapshots: the demo's restructurings and write-offs (and the class
    # changes they start from) happen today, after the last month end.
    "loans.demo_restructuring",
    "writeoffs.demo",
    "watchlist.demo",
)


class Command(BaseCommand):
    help = (
        "Create the demo branch, staff and data. Idempotent: running it again creates "
        "nothing twice. Each app's demo.py runs in the order DEMO_MODULES declares."
    )

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            with transaction.atomic():
                import_module(name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
