import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker

from branch_ops.celery import app
from loans.factories import LoanFactory
from loans.services import ledger_changed

handler_calls = []


def record_call(*, loan_ids, as_of):
    handler_calls.append((tuple(loan_ids), as_of))


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_ledger_change_handlers_run_on_a_real_worker_after_commit(settings):
    settings.LEDGER_CHANGE_HANDLERS = ["loans.tests.test_services.record_call"]
    handler_calls.clear()
    loan = LoanFactory()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        ledger_changed(loan_ids=[loan.pk, loan.pk], as_of=dt.date(2026, 11, 30))
        for _ in range(200):
            if handler_calls:
                break

            time.sleep(0.05)
    assert handler_calls == [((loan.pk,), dt.date(2026, 11, 30))]


def test_no_handlers_means_nothing_is_enqueued(settings, django_capture_on_commit_callbacks):
    settings.LEDGER_CHANGE_HANDLERS = []
    with django_capture_on_commit_callbacks() as callbacks:
        ledger_changed(loan_ids=[1], as_of=dt.date(2026, 11, 30))
    assert callbacks == []
