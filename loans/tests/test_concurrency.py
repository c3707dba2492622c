"""Writers of the ledger running at the same time, on the real PostgreSQL: two at once give
the result of one after the other, and neither fails (core.locks lists who locks what)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from core.testing import run_together, wait_for_a_blocked_writer
from loans.factories import LoanFactory
from loans.models import Loan, Repayment, RepaymentSource, ScheduleLine
from loans.services import delinquency_recompute, repayment_record, schedules_on_ledger_changed

pytestmark = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def no_ledger_change_tasks(settings):
    settings.LEDGER_CHANGE_HANDLERS = []


def overdue_loans(count: int) -> list[Loan]:
    """12-month loans disbursed in June 2026, nothing repaid: July to November are overdue."""
    loans = LoanFactory.create_batch(
        count,
        disbursed_on=dt.date(2026, 6, 15),
        matures_on=dt.date(2027, 6, 15),
        principal=Decimal("12000.00"),
        balance=Decimal("12000.00"),
        annual_rate=Decimal("6"),
        repayment_method="equal_principal",
        repayment_day=15,
    )
    return loans


def test_two_schedule_syncs_of_the_same_loans_at_once_write_each_schedule_once():
    loans = overdue_loans(40)
    ids = [loan.pk for loan in loans]

    touched = run_together(
        lambda: schedules_on_ledger_changed(loan_ids=ids, as_of=TODAY),
        lambda: schedules_on_ledger_changed(loan_ids=list(reversed(ids)), as_of=TODAY),
    )

    assert sorted(touched) == [0, 40]  # the second waited, then found the work done
    assert ScheduleLine.objects.filter(loan_id__in=ids).count() == 40 * 12
    for loan in Loan.objects.filter(pk__in=ids):
        assert sum(line.principal_due for line in loan.schedule.all()) == Decimal("12000.00")


@time_machine.travel(NOW)
def test_the_daily_recompute_never_overwrites_a_payment_committed_meanwhile():
    loans = overdue_loans(3)
    schedules_on_ledger_changed(loan_ids=[loan.pk for loan in loans], as_of=TODAY)
    delinquency_recompute(as_of=TODAY - dt.timedelta(days=1))  # yesterday's run
    assert Loan.objects.filter(days_past_due__gt=0).count() == 3
    paid = threading.Event()

    def pay_the_arrears_of_the_last_loan():
        with transaction.atomic():
            repayment_record(
                loan=loans[-1],
                paid_on=TODAY,
                principal=Decimal("5000.00"),
                interest=Decimal("1000.00"),
                source=RepaymentSource.STAFF,
                reference="P-1",
            )
            paid.set()
            # The recompute has started meanwhile and runs into the paid loan.
            assert wait_for_a_blocked_writer()

    def recompute():
        paid.wait(10)
        return delinquency_recompute(as_of=TODAY)

    run_together(pay_the_arrears_of_the_last_loan, recompute)

    loans[-1].refresh_from_db()
    # The recompute must not have written the figures it would have computed before the
    # payment: the loan is current.
    assert (loans[-1].days_past_due, loans[-1].overdue_principal) == (0, Decimal("0.00"))
    assert Loan.objects.filter(days_past_due__gt=0).count() == 2


@time_machine.travel(NOW)
def test_the_same_repayment_sent_twice_at_once_is_recorded_once():
    loan = overdue_loans(1)[0]
    schedules_on_ledger_changed(loan_ids=[loan.pk], as_of=TODAY)

    def pay():
        return repayment_record(
            loan=loan,
            paid_on=TODAY,
            principal=Decimal("1000.00"),
            interest=Decimal("0"),
            source=RepaymentSource.API,
            reference="CORE-1",
        )[1]

    created = run_together(pay, pay)

    assert sorted(created) == [False, True]
    loan.refresh_from_db()
    assert loan.balance == Decimal("11000.00")
    assert Repayment.objects.count() == 1
