"""One ledger row: its cells read into values (one small parser per kind of cell), and the
row as it is staged for the merge (``LedgerRow``, whose fields are the staging table's columns).

The rules between cells are in rules.py; the checks against the whole file and the database
(duplicates, branches, officers) in ledger.py.
"""

import datetime as dt
from collections import namedtuple
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Annotated, NamedTuple, get_type_hints

from django.utils.translation import gettext_lazy as _

from ledger_import import parsing
from ledger_import.format import LEDGER_COLUMNS
from ledger_import.industries import industry_name
from ledger_import.parsing import CellError
from loans.domain import RiskClass, bucket_for, risk_class_floor
from loans.identifiers import normalize_identifier
from loans.models import BorrowerType, Guarantee, Product, RepaymentMethod


def _choices(enum, chinese: dict[str, str]) -> dict[str, str]:
    """Accepted spellings (Chinese, the English value and label, any case) → stored value."""
    mapping = {parsing.normalize_header(zh): value for zh, value in chinese.items()}
    for value, label in enum.choices:
        mapping[parsing.normalize_header(value)] = value
        mapping[parsing.normalize_header(str(label))] = value
    return mapping


PRODUCTS = _choices(
    Product,
    {
        "个人住房贷款": Product.HOUSING,
        "个人消费贷款": Product.CONSUMER,
        "个人经营贷款": Product.PERSONAL_BUSINESS,
        "流动资金贷款": Product.WORKING_CAPITAL,
        "固定资产贷款": Product.FIXED_ASSET,
    },
)
GUARANTEES = _choices(
    Guarantee,
    {
        "信用": Guarantee.CREDIT,
        "保证": Guarantee.SURETY,
        "抵押": Guarantee.MORTGAGE,
        "质押": Guarantee.PLEDGE,
    },
)
METHODS = _choices(
    RepaymentMethod,
    {
        "等额本息": RepaymentMethod.EQUAL_INSTALMENT,
        "等额本金": RepaymentMethod.EQUAL_PRINCIPAL,
        "按月付息到期还本": RepaymentMethod.INTEREST_ONLY,
        "按月付息,到期还本": RepaymentMethod.INTEREST_ONLY,
        "利随本清": RepaymentMethod.BULLET,
        # Corporate loans: interest on the 20th, principal at maturity (loans.schedules).
        "按月结息": RepaymentMethod.MONTHLY_SETTLEMENT,
        "按月结息到期还本": RepaymentMethod.MONTHLY_SETTLEMENT,
        "按月结息,到期还本": RepaymentMethod.MONTHLY_SETTLEMENT,
        "按季结息": RepaymentMethod.QUARTERLY_SETTLEMENT,
        "按季结息到期还本": RepaymentMethod.QUARTERLY_SETTLEMENT,
        "按季结息,到期还本": RepaymentMethod.QUARTERLY_SETTLEMENT,
    },
)
BORROWER_TYPES = _choices(BorrowerType, {"个人": BorrowerType.INDIVIDUAL, "对公": BorrowerType.CORPORATE})
RISK_CLASSES = {
    **{str(int(value)): int(value) for value in RiskClass},
    **_choices(RiskClass, {"正常": 1, "关注": 2, "次级": 3, "可疑": 4, "损失": 5}),
}
# The restructured flag (重组标志): yes / no in the spellings core systems export.
YES_NO = {
    **{parsing.normalize_header(word): True for word in ("是", "Y", "yes", "1", "true", "重组")},
    **{parsing.normalize_header(word): False for word in ("否", "N", "no", "0", "false")},
}
CHINESE_CLASS = {1: "正常", 2: "关注", 3: "次级", 4: "可疑", 5: "损失"}


# --- Reading the cells ----------------------------------------------------------------------

# The values of one row's cells, by column key, before the rules between them are applied.
Cells = namedtuple("Cells", [column.key for column in LEDGER_COLUMNS])


def _text(max_length: int) -> Callable:
    return partial(parsing.text, max_length=max_length)


def _choice(mapping: dict) -> Callable:
    def parse(value):
        # The value as written is nearly always one of the spellings already.
        found = mapping.get(value)
        if found is None:
            found = mapping.get(parsing.normalize_header(value))
        if found is None:
            raise CellError(_("Unknown value %(value)s."), {"value": str(value).strip()})
        return found

    return parse


def _code(max_length: int) -> Callable:
    return partial(parsing.code, max_length=max_length)


def _identifier(value) -> str:
    return normalize_identifier(parsing.code(value, max_length=40))


def _industry_code(value) -> str:
    return parsing.code(value, max_length=10).upper()


# The parser of each column's cells (a blank cell is never parsed).
CELL_PARSERS: dict[str, Callable] = {
    "loan_no": _code(40),
    "contract_no": _text(40),
    "branch_code": _code(20),
    "borrower_name": _text(100),
    "borrower_type": _choice(BORROWER_TYPES),
    "id_number": _identifier,
    "phone": _code(20),
    "employer": _text(100),
    "industry_code": _industry_code,
    "product": _choice(PRODUCTS),
    "guarantee": _choice(GUARANTEES),
    "property_project": _text(100),
    "developer": _text(100),
    "disbursed_on": parsing.date,
    "matures_on": parsing.date,
    "principal": parsing.amount,
    "balance": parsing.amount,
    "annual_rate_pct": partial(parsing.amount, places=4, max_digits=7),
    "repayment_method": _choice(METHODS),
    "repayment_day": parsing.whole_number,
    "overdue_principal": parsing.amount,
    "overdue_interest": parsing.amount,
    "days_past_due": parsing.whole_number,
    "risk_class": _choice(RISK_CLASSES),
    "officer_no": _code(20),
    "as_of": parsing.date,
    "restructured": _choice(YES_NO),
    "restructured_on": parsing.date,
}
# The value of a blank optional cell; None for the others (repayment day and class are
# derived from other cells, see staged_row).
BLANK_VALUES = {
    "contract_no": "",
    "phone": "",
    "employer": "",
    "industry_code": "",
    "property_project": "",
    "developer": "",
    "overdue_principal": Decimal("0.00"),
    "overdue_interest": Decimal("0.00"),
    "days_past_due": 0,
    "restructured": False,
}


# Columns whose cells repeat a few thousand values at most (codes, choices, dates, small
# amounts): each distinct text is parsed once per file (issue 15 part 2: the check is most of
# an import's time). Amounts lent and balances are nearly all distinct and are not memoized.
MEMOIZED = frozenset(
    {
        "branch_code",
        "borrower_type",
        "employer",
        "industry_code",
        "product",
        "guarantee",
        "property_project",
        "developer",
        "disbursed_on",
        "matures_on",
        "annual_rate_pct",
        "repayment_method",
        "repayment_day",
        "overdue_principal",
        "overdue_interest",
        "days_past_due",
        "risk_class",
        "officer_no",
        "as_of",
    }
)
MEMO_SIZE = 20_000  # distinct texts remembered per column, so memory stays bounded


def memoized(parse: Callable) -> Callable:
    """``parse`` remembering what each text cell it read gave (a cell it refuses raises again)."""
    memo: dict[str, object] = {}

    def parse_once(value):
        if value.__class__ is not str:
            return parse(value)
        found = memo.get(value)
        if found is None:
            found = parse(value)
            if len(memo) < MEMO_SIZE:
                memo[value] = found
        return found

    return parse_once


class CellReader(NamedTuple):
    key: str
    position: int | None  # None: the file has no such column
    parse: Callable
    required: bool
    blank: object


def cell_readers(positions: dict[str, int], *, default_as_of: dt.date) -> tuple[CellReader, ...]:
    """How to read each cell of this file's rows, in the order of ``Cells``."""
    blanks = {**BLANK_VALUES, "as_of": default_as_of}
    return tuple(
        CellReader(
            column.key,
            positions.get(column.key),
            memoized(CELL_PARSERS[column.key]) if column.key in MEMOIZED else CELL_PARSERS[column.key],
            column.required,
            blanks.get(column.key),
        )
        for column in LEDGER_COLUMNS
    )


REQUIRED = _("This value is required.")


def read_cells(cells: list, readers: tuple[CellReader, ...], fail: Callable) -> Cells:
    """Each cell parsed; a cell that is missing or cannot be read is reported with ``fail``
    and read as None."""
    values = []
    count = len(cells)
    for key, position, parse, required, blank in readers:
        value = cells[position] if position is not None and position < count else None
        # parsing.is_blank, inlined: this runs for every cell of every row.
        if value is None or (value.__class__ is str and (not value or value.isspace())):
            if required:
                fail(key, REQUIRED)
            values.append(blank)
            continue
        try:
            values.append(parse(value))
        except CellError as error:
            fail(key, error.message, error.params)
            values.append(None)
    return Cells._make(values)


# --- The staged row -----------------------------------------------------------------------

# The staging table's column types; LedgerRow declares each field with its type.
Text = Annotated[str, "text"]
Id = Annotated[int, "bigint"]
Integer = Annotated[int, "integer"]
SmallInt = Annotated[int, "smallint"]
Date = Annotated[dt.date, "date"]
Money = Annotated[Decimal, "numeric(16,2)"]
Rate = Annotated[Decimal, "numeric(7,4)"]
Bool = Annotated[bool, "boolean"]


class LedgerRow(NamedTuple):
    """A checked row, in the order of the staging table's columns (COPYed as they are)."""

    row_no: Integer
    loan_no: Text
    contract_no: Text
    branch_id: Id
    borrower_type: Text
    borrower_name: Text
    id_number: Text
    phone: Text
    employer: Text
    industry_code: Text
    industry_name: Text
    product: Text
    guarantee: Text
    property_project: Text
    developer: Text
    disbursed_on: Date
    matures_on: Date
    principal: Money
    balance: Money
    annual_rate: Rate
    repayment_method: Text
    repayment_day: SmallInt
    overdue_principal: Money
    overdue_interest: Money
    days_past_due: Integer
    bucket: Text
    risk_class: SmallInt
    officer_id: Id
    as_of: Date
    restructured: Bool
    restructured_on: Date


# Staging column -> SQL type, in LedgerRow's order.
STAGE_TYPES = {
    name: hint.__metadata__[0] for name, hint in get_type_hints(LedgerRow, include_extras=True).items()
}


def staged_row(number: int, cells: Cells, *, branch_id: int, officer_id: int) -> LedgerRow:
    """The row to stage for cells that passed every rule. A blank repayment day is the day of
    the month the loan was disbursed; a blank class is the best the days past due allow."""
    days_past_due = cells.days_past_due
    return LedgerRow(
        number,
        cells.loan_no,
        cells.contract_no,
        branch_id,
        cells.borrower_type,
        cells.borrower_name,
        cells.id_number,
        cells.phone,
        cells.employer,
        cells.industry_code,
        industry_name(cells.industry_code) if cells.industry_code else "",
        cells.product,
        cells.guarantee,
        cells.property_project,
        cells.developer,
        cells.disbursed_on,
        cells.matures_on,
        cells.principal,
        cells.balance,
        cells.annual_rate_pct,
        cells.repayment_method,
        cells.disbursed_on.day if cells.repayment_day is None else cells.repayment_day,
        cells.overdue_principal,
        cells.overdue_interest,
        days_past_due,
        str(bucket_for(days_past_due)),
        int(risk_class_floor(days_past_due)) if cells.risk_class is None else cells.risk_class,
        officer_id,
        cells.as_of,
        bool(cells.restructured),
        cells.restructured_on,
    )
