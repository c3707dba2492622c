from celery import shared_task

from ledger_import.services import batch_process


@shared_task
def process_batch(batch_id: int) -> str | None:
    """Import an uploaded file. Idempotent: a batch already finished is skipped, and a
    batch left "running" by a lost worker is run again (its write is all or nothing)."""
    batch = batch_process(batch_id=batch_id)
    return batch.status if batch else None
