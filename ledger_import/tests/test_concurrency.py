"""Uploads running at the same time as each other, as payments and as the daily recompute,
on the real PostgreSQL: no writer fails and nothing is written twice (core.locks)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Value
from django.db.models.functions import Concat
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.testing import run_together
from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.services import ledger_import, repayments_import
from loans.models import Loan, Repayment, RepaymentSource, ScheduleLine
from loans.services import delinquency_recompute, repayment_record, schedules_on_ledger_changed

pytestmark = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def no_ledger_change_tasks(settings):
    settings.LEDGER_CHANGE_HANDLERS = []


@pytest.fixture
def imported(ledger_officers):
    """Twenty loans imported, with their schedules."""
    rows = [ledger_row(贷款余额="80000") for _ in range(20)]
    assert not ledger_import(data=ledger_csv(rows)).errors
    schedules_on_ledger_changed(loan_ids=Loan.objects.values_list("pk", flat=True), as_of=TODAY)
    return rows


def _repayment_file(loans, prefix: str) -> bytes:
    headers = ["借据号", "还款日期", "还款本金", "还款利息", "流水号"]
    lines = [[loan.loan_no, "2026-11-15", "100.00", "10.00", f"{prefix}-{loan.pk}"] for loan in loans]
    return ledger_csv([dict(zip(headers, line, strict=True)) for line in lines], headers=headers)


def test_two_ledger_uploads_at_once_merge_as_one_after_the_other(ledger_officers):
    shared = [ledger_row() for _ in range(30)]
    first = shared + [ledger_row() for _ in range(10)]
    second = [{**row, "联系电话": "13900000000"} for row in shared] + [ledger_row() for _ in range(10)]

    results = run_together(
        lambda: ledger_import(data=ledger_csv(first)), lambda: ledger_import(data=ledger_csv(second))
    )

    assert [result.errors for result in results] == [[], []]
    assert Loan.objects.count() == 50
    assert sorted(result.summary["created"] for result in results) in ([10, 40], [20, 30])


def _pay_through_the_api(user, loans):
    def pay():
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        for loan in loans:
            payload = {
                "loan_no": loan.loan_no,
                "paid_on": TODAY.isoformat(),
                "principal": "100.00",
                "interest": "0",
                "reference": f"R-{loan.pk}",
            }
            response = client.post("/api/v1/repayments/", payload, format="json")
            assert response.status_code == 201, response.content

    return pay


def _pay_as_staff(user, loans):
    def pay():
        for loan in loans:
            repayment_record(
                loan=loan,
                paid_on=TODAY,
                principal="100.00",
                interest="0",
                source=RepaymentSource.STAFF,
                reference=f"R-{loan.pk}",
                recorded_by=user,
            )

    return pay


@time_machine.travel(NOW)
@pytest.mark.parametrize("payments", [_pay_through_the_api, _pay_as_staff], ids=["api", "staff"])
def test_a_ledger_upload_and_payments_at_once_both_land(imported, ledger_officers, payments):
    loans = list(Loan.objects.order_by("-pk"))
    newer = [{**row, "联系电话": "13900000001"} for row in imported]

    result, _paid = run_together(
        lambda: ledger_import(data=ledger_csv(newer)), payments(ledger_officers["K0001"], loans)
    )

    assert not result.errors
    assert Repayment.objects.count() == 20
    assert set(Loan.objects.values_list("borrower__phone", flat=True)) == {"13900000001"}
    for loan in Loan.objects.all():
        # Payment then file: the core's figure; file then payment: the payment on top.
        assert loan.balance in (Decimal("80000.00"), Decimal("79900.00"))
        lines = list(loan.schedule.values_list("seq", flat=True))
        assert len(lines) == len(set(lines))


@time_machine.travel(NOW)
def test_a_ledger_upload_while_a_worker_syncs_the_same_loans_schedules_both_finish(ledger_officers):
    # Loan numbers in the opposite order of the ids: the upload writes by loan number, the
    # schedule sync by id; both lock by id first, so neither can deadlock the other.
    rows = [ledger_row(贷款余额="80000") for _ in range(60)]
    assert not ledger_import(data=ledger_csv(rows)).errors
    loans = list(Loan.objects.order_by("pk"))
    Loan.objects.update(loan_no=Concat(Value("X"), "loan_no"))
    for loan, row in zip(loans, reversed(rows), strict=True):
        Loan.objects.filter(pk=loan.pk).update(loan_no=row["借据号"])
    ids = [loan.pk for loan in loans]
    newer = [{**row, "贷款余额": "70000", "数据日期": "2026-11-19"} for row in rows]

    result, _touched = run_together(
        lambda: ledger_import(data=ledger_csv(newer)),
        lambda: schedules_on_ledger_changed(loan_ids=ids, as_of=TODAY),
    )

    assert not result.errors and result.summary["updated"] == 60
    schedules_on_ledger_changed(loan_ids=ids, as_of=TODAY)  # the task the upload enqueues
    for loan in Loan.objects.all():
        assert loan.balance == Decimal("70000.00")
        assert sum(line.principal_due - line.principal_paid for line in loan.schedule.all()) == loan.balance


@time_machine.travel(NOW)
def test_two_uploads_a_ledger_and_a_repayment_file_at_once_both_land(imported):
    loans = list(Loan.objects.all())
    newer = [{**row, "联系电话": "13900000002"} for row in imported]

    ledger, payments = run_together(
        lambda: ledger_import(data=ledger_csv(newer)),
        lambda: repayments_import(data=_repayment_file(loans, "F")),
    )

    assert not ledger.errors and not payments.errors
    assert payments.summary["recorded"] == 20 and Repayment.objects.count() == 20
    assert set(Loan.objects.values_list("balance", flat=True)) <= {Decimal("80000.00"), Decimal("79900.00")}


@time_machine.travel(NOW)
def test_two_repayment_uploads_at_once_record_each_payment_once(imported):
    loans = list(Loan.objects.all())
    data = _repayment_file(loans, "G")
    reversed_data = _repayment_file(list(reversed(loans)), "G")

    results = run_together(
        lambda: repayments_import(data=data), lambda: repayments_import(data=reversed_data)
    )

    assert [result.errors for result in results] == [[], []]
    assert sorted(result.summary["recorded"] for result in results) == [0, 20]
    assert Repayment.objects.count() == 20
    assert ScheduleLine.objects.filter(loan__in=loans).values("loan", "seq").distinct().count() == (
        ScheduleLine.objects.filter(loan__in=loans).count()
    )


@time_machine.travel(NOW)
def test_the_daily_recompute_and_a_repayment_upload_at_once_both_land(imported):
    loans = list(Loan.objects.order_by("-pk"))

    recomputed, payments = run_together(
        lambda: delinquency_recompute(as_of=TODAY),
        lambda: repayments_import(data=_repayment_file(loans, "H")),
    )

    assert not payments.errors and payments.summary["recorded"] == 20
    assert set(Loan.objects.values_list("balance", flat=True)) == {Decimal("79900.00")}
