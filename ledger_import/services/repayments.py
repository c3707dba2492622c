"""Importing a repayment file (还款流水) from the core banking system.

Same rules as the ledger: every row checked and every error reported (ledger_import.repayments);
all or nothing (one transaction, rolled back when any row fails); idempotent by the core's
transaction number (流水号) with source "import", so a file imported twice records each
payment once. Each payment goes through loans.services.repayment_record, which updates the
balance, the instalments, the arrears and the class floor exactly as a payment entered by
staff does.
"""

from collections.abc import Callable
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core.locks import advisory_xact_lock
from ledger_import.parsing import FileRejected, Issue
from ledger_import.repayments import CheckedRepayments, check_repayments
from ledger_import.services.history import history_context
from ledger_import.services.merge import UPLOAD_LOCK
from ledger_import.services.results import ImportResult
from loans.models import RepaymentSource
from loans.services import loans_lock, repayment_record


def repayments_import(
    *,
    data: bytes | BinaryIO,
    recorded_by=None,
    allowed_branch_ids: frozenset[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    history: dict | None = None,
) -> ImportResult:
    """Check and (when every row is valid and every payment records) write a repayment file."""
    try:
        checked = check_repayments(data, allowed_branch_ids=allowed_branch_ids)
    except FileRejected as rejected:
        return ImportResult(errors=rejected.issues)
    result = ImportResult(rows_total=checked.rows_total, warnings=checked.warnings, errors=checked.errors)
    if progress:
        progress("checking", checked.rows_total, checked.rows_total)
    if result.errors:
        return result

    if progress:
        progress("writing", checked.rows_total, checked.rows_total)
    with transaction.atomic():
        # One upload at a time, and the file's loans locked in pk order before the first
        # payment: payments in file order would lock them in any order and could deadlock
        # with another writer.
        advisory_xact_lock(namespace=UPLOAD_LOCK)
        loans_lock(loan_ids=[row.loan.pk for row in checked.rows])
        with connection.cursor() as cursor:
            history_context(cursor, {"source": "repayment_import", **(history or {})})
        recorded, already = _record(checked, recorded_by=recorded_by, errors=result.errors)
        if result.errors:
            transaction.set_rollback(True)
            return result
    result.summary = {"rows": len(checked.rows), "recorded": recorded, "already_recorded": already}
    return result


def _record(checked: CheckedRepayments, *, recorded_by, errors: list[Issue]) -> tuple[int, int]:
    """Each payment recorded; (newly recorded, already recorded). A payment the loans service
    refuses is added to ``errors`` under the column it names (else the loan number)."""
    label = checked.labels
    recorded = already = 0
    for row in checked.rows:
        try:
            _repayment, created = repayment_record(
                loan=row.loan,
                paid_on=row.paid_on,
                principal=row.principal,
                interest=row.interest,
                source=RepaymentSource.IMPORT,
                reference=row.reference,
                recorded_by=recorded_by,
            )
        except ValidationError as error:
            for field, messages in _by_field(error):
                column = label.get(field, label["loan_no"])
                for message in messages:
                    errors.append(Issue(row.row_no, column, {"zh-hans": message, "en": message}))
            continue
        if created:
            recorded += 1
        else:
            already += 1
    return recorded, already


def _by_field(error: ValidationError):
    if hasattr(error, "error_dict"):
        return [
            (field, [str(message) for message in messages]) for field, messages in error.message_dict.items()
        ]
    return [("", [str(message) for message in error.messages])]
