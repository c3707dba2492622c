"""Batches: the uploaded file, its progress in the background and its report."""

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import APPROVER_ROLES, has_role, profile_of, visible_branch_ids
from core.queue import enqueue_on_commit
from core.text import optional_int
from ledger_import.models import BatchKind, BatchStatus, ImportBatch
from ledger_import.services.imports import ledger_import
from ledger_import.services.repayments import repayments_import
from ledger_import.services.results import ImportResult
from loans.models import Loan, LoanStatus
from loans.services import ledger_changed

logger = logging.getLogger(__name__)


def batch_create(
    *,
    data: bytes | File,
    file_name: str,
    uploaded_by=None,
    as_of: dt.date | None = None,
    kind: str = BatchKind.LEDGER,
    enqueue: bool = True,
) -> ImportBatch:
    """Record an uploaded file and (after commit) queue it for the background worker."""
    profile = profile_of(uploaded_by) if uploaded_by is not None else None
    # An upload (or any Django File) is hashed and stored piece by piece, never read whole.
    source = data if isinstance(data, File) else ContentFile(data)
    digest = hashlib.sha256()
    for chunk in source.chunks():
        digest.update(chunk)
    with transaction.atomic():
        batch = ImportBatch(
            kind=kind,
            branch=profile.branch if profile else None,
            uploaded_by=uploaded_by,
            file_name=file_name[:255],
            sha256=digest.hexdigest(),
            as_of=as_of,
        )
        batch.file.save(file_name.rsplit("/", 1)[-1][:100], source, save=False)
        batch.save()
        if enqueue:
            enqueue_on_commit("ledger_import.tasks.process_batch", batch.pk)
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


def _run(
    batch: ImportBatch, data: BinaryIO, allowed, progress: Callable[[str, int, int], None]
) -> ImportResult:
    """The batch's file through the import of its kind, for the ``allowed`` branches."""
    history = {"import_batch": batch.pk, "user": batch.uploaded_by_id, "file": batch.file_name}
    if batch.kind == BatchKind.REPAYMENTS:
        return repayments_import(
            data=data,
            recorded_by=batch.uploaded_by,
            allowed_branch_ids=allowed,
            progress=progress,
            history=history,
        )
    return ledger_import(
        data=data, as_of=batch.as_of, allowed_branch_ids=allowed, progress=progress, history=history
    )


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
        # The stored file is read in pieces as it is checked, never whole (parsing.as_file).
        with batch.file.open("rb") as handle:
            result = _run(batch, handle, allowed, progress)
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
    # The rows counted (during the check the total shown was estimated from the bytes read).
    batch.rows_total = result.rows_total or batch.rows_total
    batch.rows_done = batch.rows_total
    batch.stage = "done"
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def loans_mark_settled(*, batch: ImportBatch, loan_ids: list[int], user) -> int:
    """Mark loans that a full import reported missing as settled (the core closed them).

    Only loans listed as missing by this batch, still active, in the user's branches."""
    if not has_role(user, *APPROVER_ROLES):
        raise PermissionDenied
    listed = {entry["id"] for entry in batch.summary.get("missing", [])}
    wanted = {optional_int(loan_id) for loan_id in loan_ids} & listed
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
