"""The optional restructured columns of the ledger (重组标志, 重组日期)."""

import datetime as dt

import pytest
from django.utils import translation

from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.parsing import reason_text
from ledger_import.services import ledger_import
from loans.domain import RiskClass
from loans.models import Loan, RestructuringSource

pytestmark = pytest.mark.django_db


def test_a_flagged_row_marks_the_loan_restructured_with_the_special_mention_floor(ledger_officers):
    flagged = ledger_row(数据日期="2026-03-01", 重组标志="是", 重组日期="2026-01-10")
    plain = ledger_row(数据日期="2026-03-01", 重组标志="N")
    result = ledger_import(data=ledger_csv([flagged, plain]))
    assert not result.errors and result.summary["restructured_marked"] == 1
    loan = Loan.objects.get(loan_no=flagged["借据号"])
    assert loan.restructured and loan.class_floor == loan.risk_class == RiskClass.SPECIAL_MENTION
    record = loan.restructurings.get()
    assert record.source == RestructuringSource.IMPORT
    assert (record.effective_on, record.observation_starts_on, record.observation_ends_on) == (
        dt.date(2026, 1, 10),
        dt.date(2026, 1, 15),
        dt.date(2027, 1, 15),
    )
    assert not Loan.objects.get(loan_no=plain["借据号"]).restructured
    again = ledger_import(data=ledger_csv([flagged, plain]))
    assert again.summary["restructured_marked"] == 0


def test_a_restructuring_date_without_the_flag_is_an_error(ledger_officers):
    row = ledger_row(数据日期="2026-03-01", 重组标志="否", 重组日期="2026-01-10")
    result = ledger_import(data=ledger_csv([row]))
    with translation.override("en"):
        reasons = [(issue.column, reason_text(issue.reason)) for issue in result.errors]
    assert reasons and "restructured flag" in reasons[0][1]
    assert not Loan.objects.exists()


def test_a_file_without_the_columns_imports_as_before(ledger_officers):
    result = ledger_import(data=ledger_csv([ledger_row()]))
    assert not result.errors
    assert not Loan.objects.get().restructured
