"""Importing the core banking ledger: all or nothing, idempotent, set-based.

The file is read and checked as a stream: each row that passes is COPYed into a temporary
staging table, a chunk at a time (reads only, so progress can be committed as it goes);
only the errors and the counts are kept. Only a file without a single error is written,
in ONE transaction (see merge.py).
"""

import datetime as dt
from collections.abc import Callable
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone

from ledger_import.ledger import LedgerCheck
from ledger_import.parsing import FileRejected
from ledger_import.services.merge import merge, stage_copy, staging
from ledger_import.services.results import ImportResult
from ledger_import.services.warnings import industry_policy_warnings
from loans.bulk import bulk_writes
from loans.services import ledger_changed


def ledger_import(
    *,
    data: bytes | BinaryIO,
    as_of: dt.date | None = None,
    allowed_branch_ids: frozenset[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    history: dict | None = None,
) -> ImportResult:
    """Check and (when the whole file is valid) write a ledger file: its bytes, or a
    seekable binary file, which is read in pieces and never held whole.

    ``as_of`` is the date the figures are true on for rows without 数据日期 (else today);
    ``allowed_branch_ids`` limits the branches a user may import (None: any, for the command).
    A rejected file changes nothing and its result lists every error. ``history`` is the
    metadata the change history records with every row written (who, which batch).
    """
    default_as_of = as_of or timezone.localdate()

    def checking(done, total):
        if progress:
            progress("checking", done, total)

    try:
        check = LedgerCheck(
            data, default_as_of=default_as_of, allowed_branch_ids=allowed_branch_ids, progress=checking
        )
        with staging():
            stage_copy(check.rows())
            checked = check.result
            result = ImportResult(
                rows_total=checked.rows_total, errors=checked.errors, warnings=checked.warnings
            )
            if result.rejected:
                return result
            if progress:
                progress("writing", checked.rows_total, checked.rows_total)
            _write(
                result, default_as_of=default_as_of, allowed_branch_ids=allowed_branch_ids, history=history
            )
    except FileRejected as rejected:
        return ImportResult(errors=rejected.issues)
    return result


def _write(result: ImportResult, *, default_as_of, allowed_branch_ids, history) -> None:
    """The staged rows merged in one transaction; the result completed (or rejected)."""
    with transaction.atomic():
        with bulk_writes():
            merged = merge(allowed_branch_ids=allowed_branch_ids, history=history or {})
        if merged.refused:
            # Loans booked at a branch outside the user's scope: refuse the whole file.
            result.errors.extend(merged.warnings)
            transaction.set_rollback(True)
            return
        ledger_changed(loan_ids=merged.loan_ids, as_of=merged.newest or default_as_of)
    result.warnings.extend(merged.warnings)
    with connection.cursor() as cursor:
        result.warnings.extend(industry_policy_warnings(cursor))
    result.summary = merged.summary
