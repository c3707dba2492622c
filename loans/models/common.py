"""What every model of the ledger shares: money fields and the change-history settings."""

MONEY = {"max_digits": 16, "decimal_places": 2}
# Change history (django-pghistory): PostgreSQL triggers write an event row for every insert
# and update, so bulk writes (the import's COPY and upsert, the daily recompute's UPDATE) are
# captured like the ORM's. Timestamps alone are not a change worth a history line.
# Statement-level triggers (one trigger call per statement, rows from the transition
# tables): row-level ones call pgtrigger's and pghistory's helper functions once per row,
# and those catch an exception each time (settings unset), which PostgreSQL makes slower
# and slower as a transaction grows: 10,000 loan inserts took 4-5 s instead of 0.7 s.
HISTORY_EXCLUDE = ["created_at", "updated_at"]
