from django.db import DEFAULT_DB_ALIAS, router

from core.db_routers import _replica_reads, read_alias, reads_from_replica
from notifications.models import OutgoingEmail


def test_without_a_replica_every_read_and_write_uses_the_primary():
    with reads_from_replica():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert router.db_for_read(OutgoingEmail) == DEFAULT_DB_ALIAS
    assert router.db_for_write(OutgoingEmail) == DEFAULT_DB_ALIAS


def test_replica_reads_end_with_the_decorated_call():
    seen = []

    @reads_from_replica()
    def page():
        seen.append(_active())

    page()
    page()
    assert seen == [True, True] and _active() is False


def _active() -> bool:
    return _replica_reads.get()
