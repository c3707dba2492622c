"""Fuzz runs (Hypothesis) over the ledger and repayment file parsers: whatever the bytes, the
import answers with its own validation result (FileRejected, or the rows' errors), never with
another exception. Bounded so the run takes seconds; set HYPOTHESIS_MAX_EXAMPLES for longer."""

import csv
import datetime as dt
import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ledger_import.factories import HEADERS, ledger_row, ledger_xlsx
from ledger_import.ledger import check_ledger
from ledger_import.parsing import FileRejected
from ledger_import.repayments import REPAYMENT_COLUMNS
from ledger_import.services import repayments_import

EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
AS_OF = dt.date(2026, 10, 31)

# Cell text a core-banking export, a hand-edited spreadsheet or an attacker might produce.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e400",
        "NaN",
        "Infinity",
        "-0",
        "１２３",
        "1,000,000.005",
        "9" * 40,
        "2026-02-30",
        "2026/13/01",
        "20261301",
        "99999",
        "45000.5",
        "=1+1",
        "<script>",
        "'; DROP TABLE x; --",
        "\x00",
        "\ufeff",
        "\u202e",
        "正常",
        "次级",
        "等额本息",
        "None",
        "True",
        "430424",
        "K0001",
    ]
)
CELL = st.one_of(NASTY, st.text(max_size=24))
XLSX_CELL = st.one_of(
    NASTY.filter(lambda value: not ILLEGAL_CHARACTERS_RE.search(value)),  # a workbook cannot hold those
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=24),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.booleans(),
    st.none(),
)


def _csv(header, rows, encoding) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _check(data: bytes):
    try:
        result = check_ledger(data, default_as_of=AS_OF)
    except FileRejected as rejected:
        assert rejected.issues  # a rejection always says why
        return
    assert result.rows_total == len(result.rows) + len({issue.row for issue in result.errors if issue.row})


pytestmark = pytest.mark.django_db


@FUZZ
@given(data=st.binary(max_size=600))
def test_ledger_parser_survives_any_bytes(branch, data):
    _check(data)


@FUZZ
@given(
    mutations=st.lists(st.tuples(st.sampled_from(HEADERS), CELL), max_size=8),
    extra_rows=st.lists(st.lists(CELL, max_size=len(HEADERS) + 2), max_size=3),
    drop=st.sets(st.sampled_from(HEADERS), max_size=2),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_ledger_parser_survives_hostile_cells_in_csv(branch, mutations, extra_rows, drop, encoding):
    row = ledger_row()
    row.update(mutations)
    header = [name for name in HEADERS if name not in drop]
    _check(_csv(header, [[row.get(name, "") for name in header], *extra_rows], encoding))


@settings(parent=FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(mutations=st.lists(st.tuples(st.sampled_from(HEADERS), XLSX_CELL), min_size=1, max_size=6))
def test_ledger_parser_survives_hostile_cells_in_xlsx(branch, mutations):
    row = ledger_row()
    row.update(mutations)
    _check(ledger_xlsx([row], headers=HEADERS))


REPAYMENT_HEADERS = [column.zh for column in REPAYMENT_COLUMNS]


@FUZZ
@given(
    rows=st.lists(st.lists(CELL, min_size=0, max_size=len(REPAYMENT_HEADERS) + 1), min_size=0, max_size=4),
    header_ok=st.booleans(),
    raw=st.binary(max_size=200),
)
def test_repayment_parser_answers_with_its_own_result(branch, rows, header_ok, raw):
    data = _csv(REPAYMENT_HEADERS, rows, "utf-8") if header_ok else raw
    result = repayments_import(data=data)
    assert result.rows_total >= 0
    if not header_ok:
        return
    assert all(issue.reason for issue in result.errors)


# --- what the fuzz run found -----------------------------------------------------------------


@pytest.mark.parametrize("huge", ["1" + "0" * 14, "9" * 40, "1,000,000,000,000,000.00"])
def test_an_amount_too_large_for_the_database_is_a_row_error_not_a_crash(branch, huge):
    from accounts.factories import StaffProfileFactory
    from accounts.models import Role
    from ledger_import.factories import ledger_csv
    from ledger_import.services import ledger_import
    from loans.models import Loan

    StaffProfileFactory(branch=branch, role=Role.OFFICER, employee_no="K0001")
    result = ledger_import(data=ledger_csv([ledger_row(**{"发放金额": huge, "贷款余额": huge})]))
    assert result.errors and not Loan.objects.exists()
    assert {issue.column for issue in result.errors} >= {"发放金额", "贷款余额"}


def test_a_repayment_too_large_for_the_database_is_a_row_error(branch):
    data = _csv(REPAYMENT_HEADERS, [["JJ1", "2026-11-02", "9" * 40, "1" + "0" * 15, "R1"]], "utf-8")
    result = repayments_import(data=data)
    assert {issue.column for issue in result.errors} >= {"还款本金", "还款利息"}
