"""Settings for a transaction that writes many tracked rows in single statements."""


def bulk_write_settings(cursor) -> None:
    """The change-history triggers (django-pghistory, statement level) join a statement's
    old and new rows by id. Inside the trigger, PostgreSQL 15 plans that join as a nested
    loop over the two transition tables, which is quadratic: re-importing a 100,000-row
    ledger ran for over ten minutes in the trigger alone. A hash join takes a second, so
    nested loops are off for the rest of this transaction (SET LOCAL); the bulk statements
    themselves are hash and merge joins anyway."""
    cursor.execute("SET LOCAL enable_nestloop = off")
