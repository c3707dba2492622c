import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command

from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.services import ledger_import, repayments_import
from loans.models import Loan, Repayment, RepaymentSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_loans(ledger_officers):
    rows = [ledger_row(贷款余额="80000"), ledger_row(贷款余额="50000")]
    assert not ledger_import(data=ledger_csv(rows)).errors
    return [Loan.objects.get(loan_no=row["借据号"]) for row in rows]


def _file(lines, headers=("借据号", "还款日期", "还款本金", "还款利息", "流水号")):
    return ledger_csv([dict(zip(headers, line, strict=True)) for line in lines], headers=list(headers))


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
def test_a_repayment_file_is_recorded_once(two_loans, tmp_path, capsys):
    first, second = two_loans
    path = tmp_path / "repay.csv"
    path.write_bytes(
        _file(
            [
                (first.loan_no, "2026-11-15", "1,000.00", "290.00", "LS001"),
                (second.loan_no, "2026/11/15", "500", "0", "LS002"),
            ]
        )
    )
    call_command("import_repayments", str(path))
    assert "recorded 2" in capsys.readouterr().out
    first.refresh_from_db()
    assert first.balance == Decimal("79000.00")
    call_command("import_repayments", str(path))
    assert "already recorded 2" in capsys.readouterr().out
    assert Repayment.objects.filter(source=RepaymentSource.IMPORT).count() == 2
    assert Loan.objects.get(pk=first.pk).balance == Decimal("79000.00")


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
def test_a_repayment_file_with_english_headers_imports(two_loans):
    first, _second = two_loans
    data = _file(
        [(first.loan_no, "2026-11-15", "100", "10", "EN1")],
        headers=("loan_no", "paid_on", "principal", "interest", "reference"),
    )
    assert repayments_import(data=data).summary["recorded"] == 1


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
def test_a_bad_repayment_file_changes_nothing_and_lists_every_error(two_loans, tmp_path, capsys):
    first, second = two_loans
    path = tmp_path / "repay.csv"
    path.write_bytes(
        _file(
            [
                (first.loan_no, "2026-11-15", "1000", "10", "LS1"),
                ("NOPE", "2026-11-15", "-1", "0", "LS2"),
                (second.loan_no, "2026-11-15", "999999", "0", "LS3"),
                (second.loan_no, "2026-11-15", "10", "0", "LS1"),
            ]
        )
    )
    with pytest.raises(CommandError):
        call_command("import_repayments", str(path))
    err = capsys.readouterr().err
    assert "row 3 借据号" in err and "row 3 还款本金" in err and "row 5 流水号" in err
    assert not Repayment.objects.exists()
    first.refresh_from_db()
    assert first.balance == Decimal("80000.00")


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
def test_a_repayment_refused_by_the_ledger_rolls_back_the_whole_file(two_loans):
    first, second = two_loans
    data = _file(
        [
            (first.loan_no, "2026-11-15", "1000", "10", "OK1"),
            (second.loan_no, "2026-11-15", "999999", "0", "BIG"),
        ]
    )
    result = repayments_import(data=data)
    assert result.rejected and result.errors[0].row == 3
    assert not Repayment.objects.exists()
