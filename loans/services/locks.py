"""Row locks on loans, taken in pk order by every writer that reads a loan and then writes it
(see core.locks for the advisory locks and the list of who takes what)."""

from collections.abc import Iterable

from django.db import connection

from loans.models import LoanStatus


def loans_lock(*, loan_ids: Iterable[int] | None = None) -> None:
    """Lock these loans (or, with None, every active loan) ``FOR UPDATE`` in pk order until
    the transaction ends. One statement; the ids are not fetched. Writers that lock in the
    same order cannot deadlock; a writer that arrives second waits, then reads the first
    one's committed figures (each statement after this one sees them)."""
    with connection.cursor() as cursor:
        if loan_ids is None:
            cursor.execute(
                "SELECT count(*) FROM (SELECT id FROM loans_loan WHERE status = %s ORDER BY id FOR UPDATE) l",
                [LoanStatus.ACTIVE.value],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM (SELECT id FROM loans_loan WHERE id = ANY(%s) ORDER BY id FOR UPDATE) l",
                [sorted(set(loan_ids))],
            )
