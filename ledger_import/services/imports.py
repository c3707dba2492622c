"""Importing the core banking ledger: all or nothing, idempotent, set-based.

The file is checked in full first (reads only, so progress can be committed row by row).
Only a file without a single error is written, in ONE transaction: the checked rows are
COPYed into a temporary staging table and merged with ``INSERT ... ON CONFLICT DO UPDATE``
into loans_borrower (by id_number) and loans_loan (by loan_no). An update touches only rows
whose values differ (``IS DISTINCT FROM``), so a re-import of the same file writes nothing.
Nothing is ever deleted: loans of the file's branches missing from it are listed instead.
"""

import datetime as dt
import hashlib
import io
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import APPROVER_ROLES, visible_branch_ids
from ledger_import import ledger
from ledger_import.models import BatchKind, BatchStatus, ImportBatch
from ledger_import.parsing import FileRejected, Issue, bilingual
from loans.bulk import bulk_writes
from loans.models import Loan, LoanStatus
from loans.services import ledger_changed

logger = logging.getLogger(__name__)

# One import writes at a time: two merges of overlapping files would interleave.
IMPORT_LOCK_KEY = 4304_2401
MISSING_LISTED = 5000
# After this many new rows, table statistics are refreshed inside the import.
ANALYZE_AFTER = 5000

STAGE_TYPES = {
    "row_no": "integer",
    "loan_no": "text",
    "contract_no": "text",
    "branch_id": "bigint",
    "borrower_type": "text",
    "borrower_name": "text",
    "id_number": "text",
    "phone": "text",
    "employer": "text",
    "industry_code": "text",
    "industry_name": "text",
    "product": "text",
    "guarantee": "text",
    "property_project": "text",
    "developer": "text",
    "disbursed_on": "date",
    "matures_on": "date",
    "principal": "numeric(16,2)",
    "balance": "numeric(16,2)",
    "annual_rate": "numeric(7,4)",
    "repayment_method": "text",
    "repayment_day": "smallint",
    "overdue_principal": "numeric(16,2)",
    "overdue_interest": "numeric(16,2)",
    "days_past_due": "integer",
    "bucket": "text",
    "risk_class": "smallint",
    "officer_id": "bigint",
    "as_of": "date",
}
assert tuple(STAGE_TYPES) == ledger.ROW_FIELDS
assert (LoanStatus.SETTLED.value, LoanStatus.ACTIVE.value) == ("settled", "active")


@dataclass
class ImportResult:
    rows_total: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def rejected(self) -> bool:
        return bool(self.errors)


# --- The import itself ---------------------------------------------------------------


def ledger_import(
    *,
    data: bytes,
    as_of: dt.date | None = None,
    allowed_branch_ids: frozenset[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    history: dict | None = None,
) -> ImportResult:
    """Check and (when the whole file is valid) write a ledger file.

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
        checked = ledger.check_ledger(
            data, default_as_of=default_as_of, allowed_branch_ids=allowed_branch_ids, progress=checking
        )
    except FileRejected as rejected:
        return ImportResult(errors=rejected.issues)
    result = ImportResult(rows_total=checked.rows_total, errors=checked.errors, warnings=checked.warnings)
    if result.rejected:
        return result
    if progress:
        progress("writing", checked.rows_total, checked.rows_total)
    try:
        with transaction.atomic():
            with bulk_writes():
                summary, warnings, changed_ids, newest = _merge(
                    checked.rows, allowed_branch_ids=allowed_branch_ids, history=history or {}
                )
            if summary.get("refused"):
                # Loans booked at a branch outside the user's scope: refuse the whole file.
                result.errors.extend(warnings)
                transaction.set_rollback(True)
                return result
            ledger_changed(loan_ids=changed_ids, as_of=newest or default_as_of)
    except FileRejected as rejected:
        result.errors.extend(rejected.issues)
        return result
    result.warnings.extend(warnings)
    result.warnings.extend(_industry_policy_warnings(checked.rows))
    result.summary = summary
    return result


INDUSTRY_WARNINGS_LISTED = 1000


def _industry_policy_warnings(rows: list[tuple]) -> list[Issue]:
    """Rows whose borrower is in a restricted or prohibited industry (screening's industry
    policy by GB/T 4754 code): the import report flags them for strict review."""
    from screening.models import PolicyLevel
    from screening.selectors import industry_policy_for

    row_no_at = ledger.ROW_FIELDS.index("row_no")
    code_at = ledger.ROW_FIELDS.index("industry_code")
    codes = {row[code_at] for row in rows if row[code_at]}
    flagged = {code: policy for code, policy in industry_policy_for(codes).items() if policy.is_flagged}
    issues = []
    hits = [row for row in rows if row[code_at] in flagged]
    for row in hits[:INDUSTRY_WARNINGS_LISTED]:
        policy = flagged[row[code_at]]
        issues.append(
            Issue(
                row[row_no_at],
                "行业代码",
                bilingual(
                    _("Industry %(code)s (%(name)s) is %(level)s under the industry policy: strict review."),
                    {"code": row[code_at], "name": policy.name, "level": PolicyLevel(policy.level).label},
                ),
            )
        )
    if len(hits) > INDUSTRY_WARNINGS_LISTED:
        issues.append(
            Issue(
                0,
                "行业代码",
                bilingual(
                    _("%(count)d rows in all are in restricted or prohibited industries."),
                    {"count": len(hits)},
                ),
            )
        )
    return issues


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


def _copy_line(row: tuple) -> str:
    out = []
    for value in row:
        if value is None:
            out.append("\\N")
        elif isinstance(value, str):
            out.append(
                value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            )
        else:
            out.append(str(value))
    return "\t".join(out)


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
        "CASE WHEN loans_loan.status = 'written_off' THEN loans_loan.status "
        "WHEN EXCLUDED.balance = 0 THEN 'settled' ELSE 'active' END",
    ),
)
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
    """The loans merge; only this module's constants are interpolated, values come via COPY.
    Rows whose recorded figures are newer than the file's (as_of) are left alone."""
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
        # LoanStatus.SETTLED / LoanStatus.ACTIVE (asserted below)
        "CASE WHEN s.balance = 0 THEN 'settled' ELSE 'active' END, now(), now() "
        "FROM ledger_stage s JOIN loans_borrower b ON b.id_number = s.id_number ORDER BY s.loan_no "
    )
    return (
        "INSERT INTO loans_loan (" + ", ".join(columns) + ") " + select + tail + " RETURNING id, (xmax = 0)"
    )


def _merge(rows: list[tuple], *, allowed_branch_ids, history: dict):
    """The set-based write, inside the caller's transaction."""
    warnings: list[Issue] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        history_context(cursor, {"source": "ledger_import", **history})
        columns = ", ".join(f"{name} {kind}" for name, kind in STAGE_TYPES.items())
        cursor.execute("DROP TABLE IF EXISTS ledger_stage")
        cursor.execute(f"CREATE TEMPORARY TABLE ledger_stage ({columns}) ON COMMIT DROP")
        buffer = io.StringIO("\n".join(_copy_line(row) for row in rows) + "\n")
        cursor.cursor.copy_expert(f"COPY ledger_stage ({', '.join(STAGE_TYPES)}) FROM STDIN", buffer)
        cursor.execute("CREATE UNIQUE INDEX ON ledger_stage (loan_no)")
        cursor.execute("ANALYZE ledger_stage")

        if allowed_branch_ids is not None:
            # A loan number already booked at a branch the user cannot see is not theirs.
            cursor.execute(
                "SELECT s.row_no, s.loan_no FROM ledger_stage s JOIN loans_loan l ON l.loan_no = s.loan_no "
                "WHERE NOT (l.branch_id = ANY(%s)) ORDER BY s.row_no",
                [list(allowed_branch_ids)],
            )
            refused = [
                Issue(
                    row_no,
                    "借据号",
                    bilingual(
                        _("Loan %(loan_no)s belongs to a branch you cannot import for."), {"loan_no": loan_no}
                    ),
                )
                for row_no, loan_no in cursor.fetchall()
            ]
            if refused:
                return {"refused": True}, refused, [], None

        # Warnings computed before the merge, against what is recorded now.
        cursor.execute(
            "SELECT s.row_no, s.loan_no, s.risk_class, l.risk_class FROM ledger_stage s "
            "JOIN loans_loan l ON l.loan_no = s.loan_no WHERE s.risk_class < l.risk_class ORDER BY s.row_no"
        )
        for row_no, loan_no, given, kept in cursor.fetchall():
            warnings.append(
                Issue(
                    row_no,
                    "五级分类",
                    bilingual(
                        _(
                            "Loan %(loan_no)s keeps its class %(kept)s; the file says %(given)s. A better class needs the branch head's approval."
                        ),
                        {
                            "loan_no": loan_no,
                            "kept": ledger.CHINESE_CLASS[kept],
                            "given": ledger.CHINESE_CLASS[given],
                        },
                    ),
                )
            )
        cursor.execute(
            "SELECT s.row_no, s.loan_no, l.as_of FROM ledger_stage s JOIN loans_loan l ON l.loan_no = s.loan_no "
            "WHERE l.as_of > s.as_of ORDER BY s.row_no"
        )
        stale = cursor.fetchall()
        for row_no, loan_no, recorded in stale:
            warnings.append(
                Issue(
                    row_no,
                    "数据日期",
                    bilingual(
                        _(
                            "Loan %(loan_no)s already has newer figures (as of %(date)s); this row was skipped."
                        ),
                        {"loan_no": loan_no, "date": recorded},
                    ),
                )
            )

        cursor.execute(
            "INSERT INTO loans_borrower (borrower_type, name, id_number, phone, employer, industry_code, "
            "industry_name, address, is_vip, contribution_note, branch_id, officer_id, created_at, updated_at) "
            "SELECT DISTINCT ON (id_number) borrower_type, borrower_name, id_number, phone, employer, "
            "industry_code, industry_name, '', false, '', branch_id, officer_id, now(), now() "
            "FROM ledger_stage ORDER BY id_number, row_no DESC "
            + _upsert_tail("loans_borrower", "id_number", _BORROWER_SET)
            + " RETURNING (xmax = 0)"
        )
        borrower_flags = [created for (created,) in cursor.fetchall()]
        if sum(borrower_flags) > ANALYZE_AFTER:
            # Fresh statistics, or the planner joins 100,000 new borrowers by nested loop.
            cursor.execute("ANALYZE loans_borrower")

        cursor.execute(_loan_upsert_sql())
        loan_flags = cursor.fetchall()
        if sum(1 for _id, was_created in loan_flags if was_created) > ANALYZE_AFTER:
            cursor.execute("ANALYZE loans_loan")

        branch_ids = sorted({row[3] for row in rows})
        cursor.execute(
            "SELECT l.id, l.loan_no, b.name, l.balance::text FROM loans_loan l "
            "JOIN loans_borrower b ON b.id = l.borrower_id "
            "WHERE l.branch_id = ANY(%s) AND l.status = %s "
            "AND NOT EXISTS (SELECT 1 FROM ledger_stage s WHERE s.loan_no = l.loan_no) ORDER BY l.loan_no",
            [branch_ids, LoanStatus.ACTIVE],
        )
        missing = cursor.fetchall()
        cursor.execute("SELECT max(as_of) FROM ledger_stage")
        (newest,) = cursor.fetchone()

    created = sum(1 for _id, was_created in loan_flags if was_created)
    updated = len(loan_flags) - created
    summary = {
        "rows": len(rows),
        "created": created,
        "updated": updated,
        "unchanged": len(rows) - created - updated - len(stale),
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
    }
    return summary, warnings, [loan_id for loan_id, _created in loan_flags], newest


# --- Batches: the uploaded file, its progress and its report -----------------------------


def batch_create(
    *,
    data: bytes,
    file_name: str,
    uploaded_by=None,
    as_of: dt.date | None = None,
    kind: str = BatchKind.LEDGER,
    enqueue: bool = True,
) -> ImportBatch:
    """Record an uploaded file and (after commit) queue it for the background worker."""
    from accounts.access import profile_of

    profile = profile_of(uploaded_by) if uploaded_by is not None else None
    with transaction.atomic():
        batch = ImportBatch(
            kind=kind,
            branch=profile.branch if profile else None,
            uploaded_by=uploaded_by,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            as_of=as_of,
        )
        batch.file.save(file_name.rsplit("/", 1)[-1][:100], ContentFile(data), save=False)
        batch.save()
        if enqueue:
            from ledger_import.tasks import process_batch

            transaction.on_commit(lambda: process_batch.delay(batch.pk))
    return batch


def _claim(batch_id: int) -> ImportBatch | None:
    """Mark the batch running, unless it already finished (a redelivered task)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.is_final:
            return None
        batch.status = BatchStatus.RUNNING
        batch.started_at = timezone.now()
        batch.save(update_fields=["status", "started_at"])
    return batch


def batch_process(
    *, batch_id: int, echo: Callable[[str, int, int], None] | None = None
) -> ImportBatch | None:
    """Run a queued batch to its end; a batch already finished is left alone (idempotent).

    Progress (rows checked) is committed as it goes so the progress page can show it; the
    write itself is one transaction, so a crash part-way leaves the ledger unchanged.
    """
    batch = _claim(batch_id)
    if batch is None:
        return None

    def progress(stage: str, done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(stage=stage, rows_done=done, rows_total=total)
        if echo:
            echo(stage, done, total)

    allowed = None
    if batch.uploaded_by is not None:
        allowed = visible_branch_ids(batch.uploaded_by)
    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
        if batch.kind == BatchKind.REPAYMENTS:
            from ledger_import.repayments import repayments_import

            result = repayments_import(
                data=data,
                recorded_by=batch.uploaded_by,
                allowed_branch_ids=allowed,
                progress=progress,
                history={"import_batch": batch.pk, "user": batch.uploaded_by_id, "file": batch.file_name},
            )
        else:
            result = ledger_import(
                data=data,
                as_of=batch.as_of,
                allowed_branch_ids=allowed,
                progress=progress,
                history={"import_batch": batch.pk, "user": batch.uploaded_by_id, "file": batch.file_name},
            )
    except Exception:
        logger.exception("import batch %s failed", batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, finished_at=timezone.now())
        raise
    batch.refresh_from_db()
    batch.status = BatchStatus.REJECTED if result.rejected else BatchStatus.SUCCEEDED
    batch.errors = [issue.as_dict() for issue in result.errors]
    batch.warnings = [issue.as_dict() for issue in result.warnings]
    batch.summary = result.summary
    branch_ids = result.summary.get("branch_ids") or []
    if batch.branch_id is None and len(branch_ids) == 1:
        # A command-line import of one branch's ledger shows in that branch's batch list.
        batch.branch_id = branch_ids[0]
    batch.rows_total = max(result.rows_total, batch.rows_total)
    batch.rows_done = batch.rows_total
    batch.stage = "done"
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def loans_mark_settled(*, batch: ImportBatch, loan_ids: list[int], user) -> int:
    """Mark loans that a full import reported missing as settled (the core closed them).

    Only loans listed as missing by this batch, still active, in the user's branches."""
    from accounts.access import has_role

    if not has_role(user, *APPROVER_ROLES):
        raise PermissionDenied
    listed = {entry["id"] for entry in batch.summary.get("missing", [])}
    wanted = {int(loan_id) for loan_id in loan_ids if str(loan_id).isdigit()} & listed
    if not wanted:
        raise ValidationError(_("Choose at least one loan from the list of missing loans."))
    with transaction.atomic():
        loans = Loan.objects.select_for_update().filter(
            id__in=wanted, status=LoanStatus.ACTIVE, branch_id__in=visible_branch_ids(user)
        )
        ids = list(loans.values_list("id", flat=True))
        Loan.objects.filter(id__in=ids).update(status=LoanStatus.SETTLED, updated_at=timezone.now())
        ledger_changed(loan_ids=ids, as_of=timezone.localdate())
    return len(ids)
