"""Reads that may come from the read replica, chosen by code path rather than by model.

The same models are read by pages that write (a repayment form reads the loan it changes)
and by pages that only look (the dashboard), so routing by model would send some of a
writer's reads to a copy that may lag. Instead a code path that only reads says so:

    @reads_from_replica()
    def dashboard(request): ...

    with reads_from_replica():
        data = report_data(...)

Inside it, reads go to the "replica" database when one is configured (DATABASE_REPLICA_URL),
except inside a transaction on the primary, which must see its own writes. Writes always go
to the primary ("default"). Without a replica everything reads "default".
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Within this block (or the decorated function), reads may come from the replica.

    A ContextVar, not a global or a thread-local: each request thread, each task and each
    asyncio task has its own, and leaving the block restores what was there before."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in connections.settings


def read_alias() -> str:
    """The database the current code path reads from."""
    if _replica_reads.get() and replica_configured() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return REPLICA_DB_ALIAS
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads by context, writes and migrations on the primary."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the same rows as the primary: an object read from either may
        # point at an object read from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # A streaming replica is read-only and receives the schema from the primary.
        return db == DEFAULT_DB_ALIAS
