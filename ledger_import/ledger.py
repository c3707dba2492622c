"""Checking a loan ledger file (借据台账) row by row: /work/shared/docs/ledger-import-format.md.

Reads only (officer and branch maps are fetched once); writing is in the services. Every row
is checked in full and every problem is reported, so the branch fixes the file in one go:
its cells are read (rows.py), the rules between them applied (rules.py), and the row checked
against the rest of the file and the branch's records (here).
"""

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch, StaffProfile
from ledger_import import parsing
from ledger_import.format import LEDGER_COLUMNS, Column
from ledger_import.parsing import FileRejected, Issue, bilingual, is_blank
from ledger_import.rows import Cells, LedgerRow, cell_readers, read_cells, staged_row
from ledger_import.rules import row_rules
from loans.identifiers import validate_credit_code, validate_resident_id
from loans.models import BorrowerType


@dataclass
class CheckedFile:
    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    rows_total: int = 0


def map_headers(
    header: list, columns: Iterable[Column]
) -> tuple[dict[str, int], dict[int, str], list[Issue]]:
    """Column key → position; position → header as written; warnings for unknown columns.
    FileRejected when a required column is missing or named twice."""
    by_name = {}
    for column in columns:
        by_name[parsing.normalize_header(column.zh)] = column
        by_name[parsing.normalize_header(column.en)] = column
    positions: dict[str, int] = {}
    labels: dict[int, str] = {}
    warnings, problems = [], []
    for index, raw in enumerate(header):
        name = parsing.normalize_header(raw)
        if not name:
            continue
        column = by_name.get(name)
        if column is None:
            warnings.append(Issue(1, str(raw).strip(), bilingual(_("Unknown column; it was ignored."))))
            continue
        if column.key in positions:
            problems.append(Issue(1, str(raw).strip(), bilingual(_("This column appears twice."))))
            continue
        positions[column.key] = index
        labels[index] = str(raw).strip()
    for column in columns:
        if column.required and column.key not in positions:
            problems.append(
                Issue(
                    1,
                    column.zh,
                    bilingual(
                        _("Required column %(zh)s (%(en)s) is missing."), {"zh": column.zh, "en": column.en}
                    ),
                )
            )
    if problems:
        raise FileRejected(problems)
    return positions, labels, warnings


class Table(NamedTuple):
    positions: dict[str, int]
    labels: dict[int, str]
    warnings: list[Issue]
    body: Iterator[tuple[int, list]]  # (row number, cells), read from the file as consumed


def stream_table(data: bytes | BinaryIO, columns: tuple[Column, ...]) -> Table:
    """The header read and mapped, the data rows as an iterator; FileRejected for an empty
    file, a file that is not a spreadsheet or missing columns. A header without data rows is
    only found once the body is consumed (FileRejected from the iterator)."""
    rows = parsing.iter_rows(data)
    header = None
    for header in rows:
        if any(not is_blank(cell) for cell in header):
            break
    else:
        header = None
    if header is None:
        raise parsing.file_issue(_("The file is empty."))
    positions, labels, warnings = map_headers(header, columns)

    def body():
        empty = True
        for number, cells in enumerate(rows, start=2):
            if all(is_blank(cell) for cell in cells):
                continue
            empty = False
            yield number, cells
        if empty:
            raise parsing.file_issue(_("The file has a header but no data rows."))

    return Table(positions, labels, warnings, body())


def read_table(data: bytes, columns: tuple[Column, ...]):
    """(positions, labels, header warnings, data rows as a list of (row number, cells)): for
    files small enough to hold (the repayment file); the ledger streams (stream_table)."""
    table = stream_table(data, columns)
    return table.positions, table.labels, table.warnings, list(table.body)


class RowIssues:
    """The problems found in one row, each naming the column as the file writes it."""

    __slots__ = ("number", "label", "issues")

    def __init__(self, number: int, label: Callable[[str], str]):
        self.number = number
        self.label = label
        self.issues: list[Issue] = []

    def add(self, key: str, message, params=None) -> None:
        self.issues.append(Issue(self.number, self.label(key), bilingual(message, params)))


class RowChecker:
    """Checks one row at a time against maps fetched once for the whole file."""

    def __init__(self, *, positions, labels, default_as_of: dt.date, allowed_branch_ids=None):
        self.positions = positions
        self.labels = labels
        self.readers = cell_readers(positions, default_as_of=default_as_of)
        self.rules = row_rules(today=timezone.localdate())
        self.allowed_branch_ids = allowed_branch_ids
        self.branches = dict(Branch.objects.values_list("code", "id"))
        self.officers = {
            employee_no: (user_id, branch_id)
            for employee_no, user_id, branch_id in StaffProfile.objects.values_list(
                "employee_no", "user_id", "branch_id"
            )
        }
        self.seen_loans: dict[str, int] = {}
        self.id_types: dict[str, tuple[str, int]] = {}

    def label(self, key: str) -> str:
        position = self.positions.get(key)
        if position is None:
            return next(column.zh for column in LEDGER_COLUMNS if column.key == key)
        return self.labels[position]

    def check(self, number: int, cells: list, errors: list[Issue]) -> LedgerRow | None:
        """The row to stage, or None after adding its problems to ``errors``."""
        found = RowIssues(number, self.label)
        fail = found.add
        row = read_cells(cells, self.readers, fail)
        self.check_loan_no_once(row, number, fail)
        branch_id = self.branch_id(row, fail)
        officer_id = self.officer_id(row, branch_id, fail)
        self.check_id_number(row, number, fail)
        for rule in self.rules:
            rule(row, fail)
        if found.issues:
            errors.extend(found.issues)
            return None
        return staged_row(number, row, branch_id=branch_id, officer_id=officer_id)

    def check_loan_no_once(self, row: Cells, number: int, fail) -> None:
        if not row.loan_no:
            return
        first = self.seen_loans.get(row.loan_no)
        if first is not None:
            fail(
                "loan_no",
                _("Loan number %(loan_no)s appears twice in this file (first in row %(row)d)."),
                {"loan_no": row.loan_no, "row": first},
            )
        else:
            self.seen_loans[row.loan_no] = number

    def branch_id(self, row: Cells, fail) -> int | None:
        """The branch of the code, also when the user may not import for it (reported)."""
        if not row.branch_code:
            return None
        branch_id = self.branches.get(row.branch_code)
        if branch_id is None:
            fail("branch_code", _("Unknown branch code %(code)s."), {"code": row.branch_code})
        elif self.allowed_branch_ids is not None and branch_id not in self.allowed_branch_ids:
            fail("branch_code", _("You may not import loans of branch %(code)s."), {"code": row.branch_code})
        return branch_id

    def officer_id(self, row: Cells, branch_id: int | None, fail) -> int | None:
        if not row.officer_no:
            return None
        officer = self.officers.get(row.officer_no)
        if officer is None:
            fail(
                "officer_no",
                _("No member of staff has employee number %(number)s."),
                {"number": row.officer_no},
            )
            return None
        officer_id, officer_branch_id = officer
        if branch_id is not None and officer_branch_id != branch_id:
            fail(
                "officer_no",
                _("Officer %(number)s does not work at branch %(code)s."),
                {"number": row.officer_no, "code": row.branch_code},
            )
        return officer_id

    def check_id_number(self, row: Cells, number: int, fail) -> None:
        """A valid resident ID or credit code for the customer type, and one customer type
        per ID number in the whole file."""
        id_number, borrower_type = row.id_number, row.borrower_type
        if not id_number or not borrower_type:
            return
        previous = self.id_types.get(id_number)
        if previous and previous[0] == borrower_type:
            return  # checked in an earlier row (a borrower with several loans): valid
        validator = validate_resident_id if borrower_type == BorrowerType.INDIVIDUAL else validate_credit_code
        try:
            validator(id_number)
        except ValidationError as error:
            fail("id_number", error.message, error.params)
            return
        if previous and previous[0] != borrower_type:
            fail(
                "borrower_type",
                _("The same ID number is a different customer type in row %(row)d."),
                {"row": previous[1]},
            )
        self.id_types.setdefault(id_number, (borrower_type, number))


ProgressFn = Callable[[int, int], None]  # (rows checked, rows in all or an estimate)
PROGRESS_STEP = 10_000
# Errors listed in the result (and the batch); beyond them only their number is reported.
ERRORS_LISTED = 10_000


class LedgerCheck:
    """A ledger file checked row by row as it is read: ``rows()`` yields each row that
    passes (to be staged), while the problems are collected in ``result``. Only the errors
    (up to ERRORS_LISTED) and the counts are kept, never the checked rows: once a row fails,
    the rows after it are still checked but no longer yielded (nothing will be written).
    FileRejected when the file as a whole cannot be read."""

    def __init__(
        self,
        data: bytes | BinaryIO,
        *,
        default_as_of: dt.date,
        allowed_branch_ids: frozenset[int] | None = None,
        progress: ProgressFn | None = None,
    ):
        self.source = parsing.as_file(data)
        self.size = self.source.seek(0, io.SEEK_END)
        self.progress = progress
        table = stream_table(self.source, LEDGER_COLUMNS)
        self.body = table.body
        self.checker = RowChecker(
            positions=table.positions,
            labels=table.labels,
            default_as_of=default_as_of,
            allowed_branch_ids=allowed_branch_ids,
        )
        self.result = CheckedFile(warnings=table.warnings)
        self.errors_total = 0

    def total_estimate(self, done: int) -> int:
        """The rows in the file, estimated from the share of its bytes read so far."""
        read = self.source.tell()
        return max(done, round(done * self.size / read) if read else done)

    def rows(self) -> Iterator[LedgerRow]:
        result, check, progress = self.result, self.checker.check, self.progress
        found: list[Issue] = []
        for number, cells in self.body:
            result.rows_total += 1
            if progress and result.rows_total % PROGRESS_STEP == 0:
                progress(result.rows_total, self.total_estimate(result.rows_total))
            row = check(number, cells, found)
            if found:
                self.errors_total += len(found)
                room = ERRORS_LISTED - len(result.errors)
                result.errors.extend(found[: max(room, 0)])
                found.clear()
            elif not result.errors:
                yield row
        if self.errors_total > len(result.errors):
            result.errors.append(
                Issue(
                    0,
                    "",
                    bilingual(
                        _("%(count)d errors in all; the first %(listed)d are listed."),
                        {"count": self.errors_total, "listed": len(result.errors)},
                    ),
                )
            )
        if progress:
            progress(result.rows_total, result.rows_total)


def check_ledger(
    data: bytes | BinaryIO,
    *,
    default_as_of: dt.date,
    allowed_branch_ids: frozenset[int] | None = None,
) -> CheckedFile:
    """Every row checked and the passing rows kept (for small files and tests; the import
    streams with LedgerCheck). FileRejected when the file as a whole cannot be read."""
    check = LedgerCheck(data, default_as_of=default_as_of, allowed_branch_ids=allowed_branch_ids)
    check.result.rows = list(check.rows())
    return check.result
