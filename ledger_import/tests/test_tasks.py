import time

import pytest
from celery.contrib.testing.worker import start_worker

from branch_ops.celery import app
from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.models import BatchStatus, ImportBatch
from ledger_import.services import batch_create
from ledger_import.tasks import process_batch
from loans.models import Loan


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_uploaded_batch_is_imported_by_a_real_worker_and_runs_once(
    ledger_officers, branch_head, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        batch = batch_create(
            data=ledger_csv([ledger_row(), ledger_row()]), file_name="l.csv", uploaded_by=branch_head
        )
        # The batch was queued on commit; wait for the worker to finish it.
        result = process_batch.delay(batch.pk)  # a redelivery: must be skipped or harmless
        result.get(timeout=30)
        for _attempt in range(60):
            batch.refresh_from_db()
            if batch.is_final:
                break
            time.sleep(0.5)
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.summary["created"] == 2
    assert Loan.objects.count() == 2
    assert ImportBatch.objects.get().rows_done == 2
