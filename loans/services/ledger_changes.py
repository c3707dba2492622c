"""Telling the rest of the application that loans changed."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from core.queue import enqueue_on_commit

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
    for start in range(0, len(ids), LEDGER_CHANGE_CHUNK):
        enqueue_on_commit(
            "loans.tasks.run_ledger_change_handlers",
            ids[start : start + LEDGER_CHANGE_CHUNK],
            as_of.isoformat(),
        )
