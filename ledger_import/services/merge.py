"""The set-based write of a checked ledger: the rows are COPYed into a temporary staging
table and merged with ``INSERT ... ON CONFLICT DO UPDATE`` into loans_borrower (by
id_number) and loans_loan (by loan_no). An update touches only rows whose values differ
(``IS DISTINCT FROM``), so a re-import of the same file writes nothing. Nothing is ever
deleted: loans of the file's branches missing from it are listed instead."""

import datetime as dt
import io
import re
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from django.db import connection

from core.locks import advisory_xact_lock
from ledger_import.parsing import Issue
from ledger_import.rows import STAGE_TYPES, LedgerRow
from ledger_import.services.history import history_context
from ledger_import.services.warnings import class_kept_warnings, refused_loans, stale_row_warnings
from loans.models import LoanStatus
from loans.services import restructuring_import_flags

# One upload writes at a time: two merges of overlapping files would interleave (core.locks).
UPLOAD_LOCK = "ledger_import.write"
MISSING_LISTED = 5000
# After this many new rows, table statistics are refreshed inside the import.
ANALYZE_AFTER = 5000


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_SPECIAL = re.compile(r"[\\\n\r]")


def copy_line(row: tuple) -> str:
    """One row in COPY's text format (tab-separated, \\N for NULL, backslash escapes)."""
    # The common case: no character that needs escaping in any value (blank optional cells,
    # None, are written \N and set aside for the check).
    present = row if None not in row else [value for value in row if value is not None]
    line = "\t".join(map(str, present))
    if line.count("\t") == len(present) - 1 and not _SPECIAL.search(line):
        return (
            line if present is row else "\t".join(["\\N" if value is None else str(value) for value in row])
        )
    return "\t".join(
        "\\N" if value is None else value.translate(_ESCAPES) if value.__class__ is str else str(value)
        for value in row
    )


# Loan columns the file sets: (column, value from the file). Everything else the branch
# records (status, VIP, notes, collateral, guarantors, repayments, history) is left alone.
# An empty optional cell never wipes what is there; the class never improves by import
# (a better class needs the branch head's approval) but may worsen.
_LOAN_SET = (
    ("contract_no", "COALESCE(NULLIF(EXCLUDED.contract_no, ''), loans_loan.contract_no)"),
    ("branch_id", "EXCLUDED.branch_id"),
    ("borrower_id", "EXCLUDED.borrower_id"),
    ("officer_id", "EXCLUDED.officer_id"),
    ("product", "EXCLUDED.product"),
    ("guarantee", "EXCLUDED.guarantee"),
    ("disbursed_on", "EXCLUDED.disbursed_on"),
    ("matures_on", "EXCLUDED.matures_on"),
    ("principal", "EXCLUDED.principal"),
    ("balance", "EXCLUDED.balance"),
    ("annual_rate", "EXCLUDED.annual_rate"),
    ("repayment_method", "EXCLUDED.repayment_method"),
    ("repayment_day", "EXCLUDED.repayment_day"),
    ("overdue_principal", "EXCLUDED.overdue_principal"),
    ("overdue_interest", "EXCLUDED.overdue_interest"),
    ("days_past_due", "EXCLUDED.days_past_due"),
    ("bucket", "EXCLUDED.bucket"),
    ("risk_class", "GREATEST(loans_loan.risk_class, EXCLUDED.risk_class)"),
    ("property_project", "COALESCE(NULLIF(EXCLUDED.property_project, ''), loans_loan.property_project)"),
    ("developer", "COALESCE(NULLIF(EXCLUDED.developer, ''), loans_loan.developer)"),
    ("as_of", "EXCLUDED.as_of"),
    # The core system is the record for money: a loan it still carries with a balance is not
    # settled, one it shows at zero is. A write-off is the branch's decision and stays.
    (
        "status",
        "CASE WHEN loans_loan.status = %(written_off)s THEN loans_loan.status "
        "WHEN EXCLUDED.balance = 0 THEN %(settled)s ELSE %(active)s END",
    ),
)
# The statuses named in the loans merge, passed as parameters.
_STATUSES = {
    "written_off": LoanStatus.WRITTEN_OFF.value,
    "settled": LoanStatus.SETTLED.value,
    "active": LoanStatus.ACTIVE.value,
}
_BORROWER_SET = (
    ("borrower_type", "EXCLUDED.borrower_type"),
    ("name", "EXCLUDED.name"),
    ("phone", "COALESCE(NULLIF(EXCLUDED.phone, ''), loans_borrower.phone)"),
    ("employer", "COALESCE(NULLIF(EXCLUDED.employer, ''), loans_borrower.employer)"),
    ("industry_code", "COALESCE(NULLIF(EXCLUDED.industry_code, ''), loans_borrower.industry_code)"),
    ("industry_name", "COALESCE(NULLIF(EXCLUDED.industry_name, ''), loans_borrower.industry_name)"),
    ("branch_id", "EXCLUDED.branch_id"),
    ("officer_id", "EXCLUDED.officer_id"),
)


def _upsert_tail(table: str, key: str, assignments) -> str:
    sets = ", ".join(f"{column} = {expression}" for column, expression in assignments)
    old = ", ".join(f"{table}.{column}" for column, _expression in assignments)
    new = ", ".join(expression for _column, expression in assignments)
    return (
        f"ON CONFLICT ({key}) DO UPDATE SET {sets}, updated_at = EXCLUDED.updated_at "
        f"WHERE ({old}) IS DISTINCT FROM ({new})"
    )


def _loan_upsert_sql() -> str:
    """The loans merge; only this module's constants are interpolated, values come via COPY
    (and the statuses as parameters). Rows whose recorded figures are newer than the file's
    (as_of) are left alone."""
    columns = [
        "loan_no",
        *(column for column, _expression in _LOAN_SET),
        "created_at",
        "updated_at",
    ]
    tail = _upsert_tail("loans_loan", "loan_no", _LOAN_SET).replace(
        "WHERE (", "WHERE (loans_loan.as_of IS NULL OR EXCLUDED.as_of >= loans_loan.as_of) AND (", 1
    )
    select = (
        "SELECT s.loan_no, s.contract_no, s.branch_id, b.id, s.officer_id, s.product, s.guarantee, "
        "s.disbursed_on, s.matures_on, s.principal, s.balance, s.annual_rate, s.repayment_method, "
        "s.repayment_day, s.overdue_principal, s.overdue_interest, s.days_past_due, s.bucket, "
        "s.risk_class, s.property_project, s.developer, s.as_of, "
        "CASE WHEN s.balance = 0 THEN %(settled)s ELSE %(active)s END, now(), now() "
        "FROM ledger_stage s JOIN loans_borrower b ON b.id_number = s.id_number ORDER BY s.loan_no "
    )
    return (
        "INSERT INTO loans_loan (" + ", ".join(columns) + ") " + select + tail + " RETURNING id, (xmax = 0)"
    )


STAGE = "ledger_stage"
# Rows per COPY into the staging table: the rows are checked (and progress reported) between.
STAGE_ROWS = 20_000


@contextmanager
def staging():
    """The staging table, a temporary table of LedgerRow's columns, filled chunk by chunk
    as the file is checked (stage_copy) and dropped on leaving. It is the session's own,
    created outside the write transaction so the progress of the check can be committed
    between chunks; filling it writes nothing anybody else can see."""
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGE_TYPES.items())
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns})")
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def stage_copy(rows: Iterable[LedgerRow]) -> int:
    """The rows COPYed into the staging table in chunks of STAGE_ROWS; the number copied.
    The rows are consumed one chunk at a time, so only one chunk of lines is ever held."""
    rows = iter(rows)
    copied = 0
    while True:
        lines = [copy_line(row) for row in islice(rows, STAGE_ROWS)]
        if not lines:
            return copied
        lines.append("")
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {STAGE} ({', '.join(STAGE_TYPES)}) FROM STDIN", io.StringIO("\n".join(lines))
            )
        copied += len(lines) - 1


def _stage_ready(cursor) -> None:
    cursor.execute(f"CREATE UNIQUE INDEX ON {STAGE} (loan_no)")
    cursor.execute(f"ANALYZE {STAGE}")


def _upsert_borrowers(cursor) -> list[bool]:
    """One borrower per ID number (the file's last row for it); True for each one created."""
    cursor.execute(
        "INSERT INTO loans_borrower (borrower_type, name, id_number, phone, employer, industry_code, "
        "industry_name, address, is_vip, contribution_note, branch_id, officer_id, created_at, updated_at) "
        "SELECT DISTINCT ON (id_number) borrower_type, borrower_name, id_number, phone, employer, "
        "industry_code, industry_name, '', false, '', branch_id, officer_id, now(), now() "
        "FROM ledger_stage ORDER BY id_number, row_no DESC "
        + _upsert_tail("loans_borrower", "id_number", _BORROWER_SET)
        + " RETURNING (xmax = 0)"
    )
    created = [was_created for (was_created,) in cursor.fetchall()]
    if sum(created) > ANALYZE_AFTER:
        # Fresh statistics, or the planner joins 100,000 new borrowers by nested loop.
        cursor.execute("ANALYZE loans_borrower")
    return created


def _upsert_loans(cursor) -> list[tuple[int, bool]]:
    """(loan id, created) for every loan inserted or changed."""
    cursor.execute(_loan_upsert_sql(), _STATUSES)
    written = cursor.fetchall()
    if sum(1 for _id, was_created in written if was_created) > ANALYZE_AFTER:
        cursor.execute("ANALYZE loans_loan")
    return written


def _restructured_flags(cursor) -> dict[int, dt.date | None]:
    """Loans the file flags restructured (重组标志 是), with the file's restructuring date."""
    cursor.execute(
        "SELECT l.id, s.restructured_on FROM ledger_stage s JOIN loans_loan l ON l.loan_no = s.loan_no"
        " WHERE s.restructured"
    )
    return dict(cursor.fetchall())


def _missing_loans(cursor, branch_ids: list[int]) -> list[tuple]:
    """Active loans of the file's branches that the file does not list."""
    cursor.execute(
        "SELECT l.id, l.loan_no, b.name, l.balance::text FROM loans_loan l "
        "JOIN loans_borrower b ON b.id = l.borrower_id "
        "WHERE l.branch_id = ANY(%s) AND l.status = %s "
        "AND NOT EXISTS (SELECT 1 FROM ledger_stage s WHERE s.loan_no = l.loan_no) ORDER BY l.loan_no",
        [branch_ids, LoanStatus.ACTIVE],
    )
    return cursor.fetchall()


@dataclass
class Merged:
    summary: dict
    warnings: list[Issue]
    loan_ids: list[int]  # the loans written (created or changed)
    newest: dt.date | None = None  # the latest as_of in the file
    refused: bool = False  # nothing written: a loan belongs to a branch out of the user's scope


def merge(*, allowed_branch_ids, history: dict) -> Merged:
    """The set-based write of the staged rows (see staging), inside the caller's transaction."""
    with connection.cursor() as cursor:
        advisory_xact_lock(namespace=UPLOAD_LOCK)
        history_context(cursor, {"source": "ledger_import", **history})
        _stage_ready(cursor)
        # The file's existing loans locked in pk order, as the schedule sync, the payments
        # and the daily recompute lock them (the upsert below goes by loan number).
        cursor.execute(
            "SELECT count(*) FROM (SELECT l.id FROM loans_loan l JOIN ledger_stage s ON s.loan_no = l.loan_no"
            " ORDER BY l.id FOR UPDATE OF l) locked"
        )
        if allowed_branch_ids is not None:
            refused = refused_loans(cursor, allowed_branch_ids)
            if refused:
                return Merged({"refused": True}, refused, [], refused=True)
        # Warnings computed before the merge, against what is recorded now.
        warnings = class_kept_warnings(cursor)
        stale = stale_row_warnings(cursor)
        warnings.extend(stale)
        borrower_flags = _upsert_borrowers(cursor)
        loan_flags = _upsert_loans(cursor)
        cursor.execute("SELECT count(*), array_agg(DISTINCT branch_id) FROM ledger_stage")
        rows, branch_ids = cursor.fetchone()
        branch_ids = sorted(branch_ids or [])
        missing = _missing_loans(cursor, branch_ids)
        cursor.execute("SELECT max(as_of) FROM ledger_stage")
        (newest,) = cursor.fetchone()
        flags = _restructured_flags(cursor)
    # Restructured flags from the core system (docs/ledger-import-format.md): a loan without a
    # restructuring in observation here is marked restructured, with the floor of art. 20.
    marked = restructuring_import_flags(flags=flags, as_of=newest) if flags else 0

    created = sum(1 for _id, was_created in loan_flags if was_created)
    updated = len(loan_flags) - created
    summary = {
        "rows": rows,
        "created": created,
        "updated": updated,
        "unchanged": rows - created - updated - len(stale),
        "skipped_stale": len(stale),
        "borrowers_created": sum(borrower_flags),
        "borrowers_updated": len(borrower_flags) - sum(borrower_flags),
        "missing_count": len(missing),
        "missing": [
            {"id": loan_id, "loan_no": loan_no, "borrower": name, "balance": balance}
            for loan_id, loan_no, name, balance in missing[:MISSING_LISTED]
        ],
        "branch_ids": branch_ids,
        "as_of": newest.isoformat() if newest else None,
        "warnings": len(warnings),
        "restructured_marked": marked,
    }
    written = sorted({loan_id for loan_id, _created in loan_flags} | set(flags if marked else ()))
    return Merged(summary, warnings, written, newest)
