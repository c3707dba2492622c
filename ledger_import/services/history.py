"""Naming an import in the change history of the rows it writes."""

import json
import uuid


def history_context(cursor, metadata: dict) -> None:
    """Attach the import to the change history (django-pghistory) for this transaction.

    Besides naming who and which batch changed the rows, defining both settings matters for
    speed: pgtrigger's and pghistory's trigger functions read them inside an EXCEPTION block,
    and an unset setting raises there, so every row written would roll back a
    subtransaction; with 100,000 rows that made the merge quadratic (minutes, not seconds).
    """
    cursor.execute(
        "SELECT set_config('pgtrigger.ignore', '{}', true), "
        "set_config('pghistory.context_id', %s, true), set_config('pghistory.context_metadata', %s, true)",
        [str(uuid.uuid4()), json.dumps(metadata, default=str)],
    )
