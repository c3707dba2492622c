"""The writes of the import app, by subdomain; the public names are importable from here.

- imports: checking and writing a ledger file (``ledger_import``)
- merge: the set-based write of a checked ledger; warnings: what the import reports
- repayments: importing a repayment file
- batches: an uploaded file, processed in the background
"""

from ledger_import.services.batches import batch_create, batch_process, loans_mark_settled
from ledger_import.services.history import history_context
from ledger_import.services.imports import ledger_import
from ledger_import.services.repayments import repayments_import
from ledger_import.services.results import ImportResult

__all__ = [
    "ImportResult",
    "batch_create",
    "batch_process",
    "history_context",
    "ledger_import",
    "loans_mark_settled",
    "repayments_import",
]
