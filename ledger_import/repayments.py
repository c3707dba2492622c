"""Checking a repayment file (还款流水) from the core banking system, row by row.

Reads only; the write is ledger_import.services.repayments. Every row is checked and every
error reported, as for the ledger.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import BinaryIO, NamedTuple

from django.utils.translation import gettext_lazy as _

from ledger_import import parsing
from ledger_import.format import Column
from ledger_import.ledger import read_table
from ledger_import.parsing import CellError, Issue, bilingual
from loans.models import Loan

REPAYMENT_COLUMNS = (
    Column("loan_no", "借据号", "loan_no", True),
    Column("paid_on", "还款日期", "paid_on", True),
    Column("principal", "还款本金", "principal", True),
    Column("interest", "还款利息", "interest", True),
    Column("reference", "流水号", "reference", True),
)
# The parser of each column's cells, in the order of REPAYMENT_COLUMNS.
_PARSERS = {
    "loan_no": lambda value: parsing.code(value, max_length=40),
    "paid_on": parsing.date,
    "principal": parsing.amount,
    "interest": parsing.amount,
    "reference": lambda value: parsing.code(value, max_length=64),
}


class RepaymentRow(NamedTuple):
    row_no: int
    loan: Loan
    paid_on: date
    principal: Decimal
    interest: Decimal
    reference: str


@dataclass
class CheckedRepayments:
    labels: dict[str, str]  # column key -> header as written in the file
    rows: list[RepaymentRow] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    rows_total: int = 0


def _loans_by_number(body, positions, allowed_branch_ids) -> dict[str, Loan]:
    """The file's loans, fetched at once; those of other branches count as unknown."""
    at = positions["loan_no"]
    loan_nos = set()
    for _n, cells in body:
        if at < len(cells) and not parsing.is_blank(cells[at]):
            with contextlib.suppress(CellError):
                loan_nos.add(_PARSERS["loan_no"](cells[at]))
    loans = Loan.objects.in_bulk(loan_nos, field_name="loan_no")
    if allowed_branch_ids is not None:
        loans = {number: loan for number, loan in loans.items() if loan.branch_id in allowed_branch_ids}
    return loans


def _read_cells(cells: list, positions: dict[str, int], fail: Callable) -> list:
    """Every cell parsed (all are required); one that cannot be read is None."""
    values = []
    for key, parse in _PARSERS.items():
        position = positions[key]
        value = cells[position] if position < len(cells) else None
        if parsing.is_blank(value):
            fail(key, _("This value is required."))
            values.append(None)
            continue
        try:
            values.append(parse(value))
        except CellError as error:
            fail(key, error.message, error.params)
            values.append(None)
    return values


def check_repayments(
    data: bytes | BinaryIO, *, allowed_branch_ids: frozenset[int] | None = None
) -> CheckedRepayments:
    """Every row checked; FileRejected when the file as a whole cannot be read."""
    positions, labels, warnings, body = read_table(data, REPAYMENT_COLUMNS)
    label = {key: labels[position] for key, position in positions.items()}
    checked = CheckedRepayments(labels=label, warnings=warnings, rows_total=len(body))
    loans = _loans_by_number(body, positions, allowed_branch_ids)
    first_rows: dict[str, int] = {}  # reference -> the row it first appears in
    for number, cells in body:
        found: list[Issue] = []

        def fail(key, message, params=None, found=found, number=number):
            found.append(Issue(number, label[key], bilingual(message, params)))

        loan_no, paid_on, principal, interest, reference = _read_cells(cells, positions, fail)
        loan = loans.get(loan_no) if loan_no else None
        if loan_no and loan is None:
            fail("loan_no", _("Unknown loan number %(loan_no)s."), {"loan_no": loan_no})
        if reference:
            if reference in first_rows:
                fail(
                    "reference",
                    _("Reference %(ref)s appears twice in this file (first in row %(row)d)."),
                    {"ref": reference, "row": first_rows[reference]},
                )
            first_rows.setdefault(reference, number)
        if principal is not None and interest is not None and principal == 0 and interest == 0:
            fail("principal", _("Principal and interest are both zero."))
        if found:
            checked.errors.extend(found)
        else:
            checked.rows.append(RepaymentRow(number, loan, paid_on, principal, interest, reference))
    return checked
