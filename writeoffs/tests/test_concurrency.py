"""Two recoveries of the same write-off at once, on the real PostgreSQL: the second waits for
the first one's lock and then sees its amount, so together they never exceed the write-off."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.testing import run_together, wait_for_a_blocked_writer
from writeoffs.factories import WriteOffFactory
from writeoffs.models import Recovery, RecoverySource
from writeoffs.services import recovery_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_ledger_change_tasks(settings):
    settings.LEDGER_CHANGE_HANDLERS = []


@pytest.fixture
def write_off(loss_loan, branch_head):
    return WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)  # 80,000.00


def _record(write_off, by, amount: str):
    try:
        return recovery_record(
            write_off=write_off,
            recovered_on=timezone.localdate(),
            amount=Decimal(amount),
            source=RecoverySource.COLLECTION,
            recorded_by=by,
        )
    except ValidationError:
        return "refused"


def test_two_recoveries_at_once_never_exceed_the_amount_written_off(write_off, officer, branch_head):
    results = run_together(
        lambda: _record(write_off, officer, "50000.00"), lambda: _record(write_off, branch_head, "50000.00")
    )
    assert sorted(isinstance(result, Recovery) for result in results) == [False, True]
    assert Recovery.objects.filter(write_off=write_off).count() == 1


def test_a_recovery_waits_for_one_being_recorded_then_sees_it(write_off, officer, branch_head):
    outcome = {}
    started = threading.Event()

    def second():
        try:
            connection.ensure_connection()
            started.set()
            outcome["result"] = _record(write_off, branch_head, "50000.00")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            outcome["result"] = error
        finally:
            connection.close()

    with transaction.atomic():
        _record(write_off, officer, "50000.00")
        thread = threading.Thread(target=second)
        thread.start()
        assert started.wait(60)
        assert wait_for_a_blocked_writer(timeout=60), (
            outcome
        )  # the second is held by the write-off's row lock
    thread.join(60)
    assert outcome["result"] == "refused"
    assert sum(r.amount for r in Recovery.objects.filter(write_off=write_off)) == Decimal("50000.00")
