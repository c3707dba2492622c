"""How a report cell is written: one rule for the PDF, the workbook and the email.

A table's rows hold plain values (the sections of other apps build them), so the kind of a
cell is read from its value and its column header: a ``Ratio`` is a fraction (0.0123 prints
1.23%); a number under a header with a per-cent sign is already in per cent (85.0 prints
85.00%); other whole numbers are counts; other decimals are amounts (yuan or 万元, as the
header or the table title says) with thousands separators and two places.
"""

import datetime as dt
import enum
from decimal import Decimal

from core.formatting import EMPTY, format_amount, format_date

PERCENT_MARKS = ("%", "％")
MISSING = EMPTY


class Ratio(Decimal):
    """A fraction that prints as a percentage (the NPL ratio)."""


class Kind(enum.Enum):
    TEXT = "text"
    COUNT = "count"
    AMOUNT = "amount"
    PERCENT = "percent"  # a fraction: 0.0123 is 1.23%
    PER_CENT_POINTS = "points"  # already in per cent: 85.0 is 85%


# Excel number formats (the same for yuan and 万元: the unit is in the header).
EXCEL_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.AMOUNT: "#,##0.00",
    Kind.PERCENT: "0.00%",
    Kind.PER_CENT_POINTS: "0.00%",
}
NUMERIC_KINDS = frozenset(EXCEL_FORMATS)


def cell_kind(value, header: str = "") -> Kind:
    if isinstance(value, Ratio):
        return Kind.PERCENT
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return Kind.TEXT
    if any(mark in str(header) for mark in PERCENT_MARKS):
        return Kind.PER_CENT_POINTS
    if isinstance(value, int):
        return Kind.COUNT
    return Kind.AMOUNT


def cell_text(value, header: str = "") -> str:
    """A cell as printed: 2,192.10; 1,234; 1.23%; 85.00%; 2026-10-31; — for nothing."""
    if value is None or value == "":
        return MISSING
    kind = cell_kind(value, header)
    if kind is Kind.COUNT:
        return f"{value:,}"
    if kind is Kind.AMOUNT:
        return format_amount(Decimal(str(value)) if isinstance(value, float) else value)
    if kind is Kind.PERCENT:
        return f"{Decimal(value) * 100:,.2f}%"
    if kind is Kind.PER_CENT_POINTS:
        return f"{Decimal(value):,.2f}%"
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def excel_value(value, kind: Kind):
    """The number Excel stores (per-cent points become the fraction ``0.00%`` expects)."""
    if kind is Kind.PER_CENT_POINTS:
        return Decimal(value) / 100
    return value
