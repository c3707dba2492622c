"""Planner settings for statements that write many tracked rows at once."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def bulk_writes():
    """Nested loops off for the statements inside, then back as they were.

    The change-history triggers (django-pghistory, statement level) join a statement's old
    and new rows by id. Inside the trigger, PostgreSQL 15 plans that join as a nested loop
    over the two transition tables, which is quadratic: re-importing a 100,000-row ledger
    ran for over ten minutes in the trigger alone; a hash join takes a second. The setting
    is SET LOCAL and restored on leaving, so later queries of the same transaction (a test's,
    or the rest of a demo seed) keep their index nested loops; if the body fails, the
    rollback of the enclosing transaction or savepoint restores it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_nestloop')")
        (previous,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_nestloop = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [previous])
