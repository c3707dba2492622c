"""Each cell parser, the industry codes and the row rules, over any Unicode text: a value or the
import's row error (CellError, or a reported issue), never another exception; and one person
is one borrower whatever digits the file writes their ID number in."""

import contextlib
import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.industries import industry_name
from ledger_import.parsing import CellError, reason_text
from ledger_import.repayments import _PARSERS as REPAYMENT_PARSERS
from ledger_import.rows import CELL_PARSERS, Cells
from ledger_import.rules import row_rules
from ledger_import.services import ledger_import
from loans.models import Borrower, Loan

EXAMPLES = settings(max_examples=150, deadline=None, database=None)
ANY_CELL = (
    st.text(st.characters(codec=None), max_size=30)
    | st.lists(st.sampled_from("0123456789.,-/ ²³¹①０９１٣४ＸX¥￥"), max_size=20).map("".join)
    | st.integers()
    | st.floats()
)
PARSERS = {**CELL_PARSERS, **{f"repayment:{key}": parse for key, parse in REPAYMENT_PARSERS.items()}}


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_every_cell_parser_returns_a_value_or_a_cell_error_for_any_input(key):
    parse = PARSERS[key]

    @EXAMPLES
    @given(ANY_CELL)
    def check(value):
        with contextlib.suppress(CellError):
            parse(value)

    check()


@EXAMPLES
@given(st.text(st.characters(codec=None), max_size=8))
def test_industry_name_is_a_name_or_none_for_any_text(code):
    assert industry_name(code) is None or isinstance(industry_name(code), str)


def test_industry_code_with_a_superscript_or_full_width_digit_is_not_a_code():
    assert industry_name("C2²") is None
    assert industry_name("C２６") is None
    assert industry_name("C26") == "化学原料和化学制品制造业"


@EXAMPLES
@given(st.fixed_dictionaries(dict.fromkeys(Cells._fields, ANY_CELL)))
def test_row_rules_report_problems_for_any_parsed_cells(raw):
    values = {}
    for key, value in raw.items():
        try:
            values[key] = CELL_PARSERS[key](value)
        except CellError:
            values[key] = None  # reported by read_cells; the rules skip it
    row = Cells(**values)
    failures = []
    for rule in row_rules(today=dt.date(2026, 10, 31)):
        rule(row, lambda *args: failures.append(args))


def _errors(result):
    with translation.override("en"):
        return [(issue.row, issue.column, reason_text(issue.reason)) for issue in result.errors]


@pytest.mark.django_db
def test_full_width_id_number_imports_as_the_same_borrower(ledger_officers):
    first = ledger_row()
    full_width_id = first["证件号码"].translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    second = ledger_row(证件号码=full_width_id, 客户名称=first["客户名称"])
    assert not ledger_import(data=ledger_csv([first])).errors
    assert not ledger_import(data=ledger_csv([second])).errors
    assert Borrower.objects.count() == 1
    assert set(Loan.objects.values_list("borrower__id_number", flat=True)) == {first["证件号码"]}


@pytest.mark.django_db
def test_full_width_loan_number_and_amounts_are_read_as_ascii(ledger_officers):
    row = ledger_row(发放金额="１００，０００．００", 每月还款日="１５")
    row["借据号"] = row["借据号"].translate(str.maketrans("TJ0123456789", "ＴＪ０１２３４５６７８９"))
    result = ledger_import(data=ledger_csv([row]))
    assert not result.errors
    assert Loan.objects.get().loan_no.isascii()


@pytest.mark.django_db
def test_superscript_digit_in_an_id_number_is_a_row_error_not_a_crash(ledger_officers):
    row = ledger_row()
    row["证件号码"] = row["证件号码"][:16] + "²" + row["证件号码"][17:]
    result = ledger_import(data=ledger_csv([row]))
    assert [(number, column) for number, column, _reason in _errors(result)] == [(2, "证件号码")]
    assert "²" in _errors(result)[0][2]
    assert not Borrower.objects.exists()


@pytest.mark.parametrize("value", ["9" * 10, "9" * 5000, 10**12])
def test_a_whole_number_cell_too_large_for_its_column_is_a_cell_error(value):
    with pytest.raises(CellError):
        CELL_PARSERS["days_past_due"](value)
