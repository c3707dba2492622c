"""Transaction-scoped PostgreSQL advisory locks: the one way our writers say "one at a time".

Imports, the repayment API, the nightly jobs and a second Celery worker can all write the
same rows at once. A writer that reads and then writes (the schedule sync, the case sync,
the action generator, the snapshot builder) takes a lock first, so a second run waits for
the first to commit and then reads what it wrote: two runs give the result of one after the
other, and neither fails.

Where the rows to protect exist and are few, writers lock them with ``select_for_update()``
ordered by pk (a stable order, so two writers cannot deadlock). Where they do not exist yet
(rows about to be inserted) or are a whole job's worth, the writer takes an advisory lock
through :func:`advisory_xact_lock`, always inside ``transaction.atomic()``: PostgreSQL
releases it at commit or rollback, so a crashed writer never leaves it held.

The namespaces (add a line here with any new one):

``ledger_import.write`` (key 0)
    Uploads: the ledger merge and the repayment file import. Two uploads never interleave;
    the second waits and merges over the first (re-importing changes nothing).
``loan_collections.cases`` (key 0)
    Opening, updating and closing collection cases (``cases_sync``, ``case_open``). The
    second run finds the cases the first opened (one open case per borrower).
``post_loan.generation`` (key 0)
    Generating required actions (the daily job and the ledger-change hook). The second run
    finds the first one's actions and creates none twice.
``guarantees.contagion`` (key 0)
    The guarantee-circle contagion check (daily job and the head's "run now"). The second
    run finds the first one's open flags and creates no second flag or action.
``watchlist.refresh`` (key 0)
    The early-warning watchlist refresh (daily job and the head's "run now"). The second
    run finds the first one's open entries and creates no second entry or action.
``dashboard.snapshots`` (key: branch id, taken in ascending order)
    Month-end snapshots and the snapshot CSV import, per branch. The second build of a date
    replaces the first one's rows instead of colliding with them.

Row locks (no namespace): loans are locked ``FOR UPDATE`` in pk order by the schedule sync,
the repayment service, the repayment import, the ledger merge and the daily delinquency
recompute, so the recompute never writes figures computed before a concurrent payment.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection

# pg_advisory_xact_lock(int4, int4): the namespace's hash and the key.
_INT4 = 2**32


def _int4(value: int) -> int:
    """Fold any int into PostgreSQL's signed 32-bit range. Two keys folding together only
    make unrelated writers wait for each other; they never let two writers in at once."""
    value %= _INT4
    return value - _INT4 if value >= 2**31 else value


def namespace_id(namespace: str) -> int:
    """A stable 32-bit id for a namespace (the same in every process and release)."""
    digest = hashlib.blake2b(namespace.encode(), digest_size=4).digest()
    return _int4(int.from_bytes(digest, "big"))


def advisory_xact_lock(*, namespace: str, key: int = 0) -> None:
    """Wait for and take the advisory lock (namespace, key) until the current transaction
    ends. Must run inside ``transaction.atomic()``: in autocommit the lock would be released
    at once and protect nothing."""
    if not connection.in_atomic_block:
        raise RuntimeError("advisory_xact_lock needs a transaction: call it inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace_id(namespace), _int4(key)])


def advisory_xact_locks(*, namespace: str, keys: Iterable[int]) -> None:
    """Several keys of one namespace, in ascending order (a stable order cannot deadlock)."""
    for key in sorted(set(keys)):
        advisory_xact_lock(namespace=namespace, key=key)
