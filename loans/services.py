"""Writes to the ledger. (More services live here as the ledger grows.)"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

LEDGER_CHANGE_CHUNK = 2000


def ledger_changed(*, loan_ids: Iterable[int], as_of: dt.date) -> None:
    """Tell the rest of the application that these loans changed (imported, repaid,
    reclassified, recomputed by the daily job).

    After the current transaction commits, a Celery task runs every function named in
    ``settings.LEDGER_CHANGE_HANDLERS`` with ``loan_ids=[...], as_of=date`` (in chunks),
    e.g. to build schedules, generate required actions or open collection cases. Handlers
    must be idempotent: the same loans may be reported more than once.
    """
    ids = sorted(set(loan_ids))
    if not ids or not settings.LEDGER_CHANGE_HANDLERS:
        return
    from loans.tasks import run_ledger_change_handlers

    def enqueue():
        for start in range(0, len(ids), LEDGER_CHANGE_CHUNK):
            run_ledger_change_handlers.delay(ids[start : start + LEDGER_CHANGE_CHUNK], as_of.isoformat())

    transaction.on_commit(enqueue)
