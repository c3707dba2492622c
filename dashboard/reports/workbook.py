"""The monthly report as an Excel workbook: a headline sheet, then one sheet per table.

Numbers stay numbers, with a number format (amounts ``#,##0.00``, counts ``#,##0``,
percentages ``0.00%``); the header row is frozen, columns are as wide as their contents,
and sheet names are the tables' titles made valid for Excel (31 characters, none of
``[]:*?/\\``) without cutting a word in half.
"""

import io
import re
import unicodedata

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.reports.cells import EXCEL_FORMATS, NUMERIC_KINDS, cell_kind, cell_text, excel_value

SHEET_NAME_LIMIT = 31
# Characters Excel refuses in a sheet name, and what a Chinese reader expects instead.
SHEET_NAME_REPLACEMENTS = {"/": "、", "\\": "、", ":": "：", "?": "", "*": "", "[": "（", "]": "）"}
# A unit at the end of a title (it is repeated in the sheet's first row).
UNIT_SUFFIX = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")
# A cell starting with one of these is read as a formula by Excel (CSV/formula injection):
# borrower and branch names come from the ledger file, so text cells get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
MIN_WIDTH, MAX_WIDTH = 8, 60


def _cut(name: str, limit: int) -> str:
    """At most ``limit`` characters, ending on a whole word when the cut falls inside one."""
    if len(name) <= limit:
        return name
    cut = name[:limit]
    if cut[-1].isascii() and name[limit].isascii() and name[limit] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.strip()


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name read from the table title: the unit dropped when the name is
    too long, then cut on a word; a repeated name gets “ (2)”."""
    name = "".join(SHEET_NAME_REPLACEMENTS.get(ch, ch) for ch in str(title))
    name = re.sub(r"\s*([、：（）])\s*", r"\1", re.sub(r"\s+", " ", name)).strip().strip("'") or _("Table")
    if len(name) > SHEET_NAME_LIMIT:
        name = UNIT_SUFFIX.sub("", name)
    name = _cut(name, SHEET_NAME_LIMIT)
    taken = {existing.casefold() for existing in used}
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _cut(name, SHEET_NAME_LIMIT - len(suffix)) + suffix
    used.add(candidate)
    return candidate


def _text(value) -> str:
    text = cell_text(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _display_width(text: str) -> int:
    """Column width in Excel units: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_row(sheet, row_number: int, values, headers) -> None:
    for column, (value, header) in enumerate(zip(values, headers, strict=False), start=1):
        kind = cell_kind(value, header)
        cell = sheet.cell(row=row_number, column=column)
        if kind in NUMERIC_KINDS:
            cell.value = excel_value(value, kind)
            cell.number_format = EXCEL_FORMATS[kind]
        else:
            cell.value = _text(value)


def _write_header(sheet, row_number: int, headers) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row_number, column=column, value=_text(str(header)))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _fit_columns(sheet, rows, headers) -> None:
    for column, header in enumerate(headers, start=1):
        texts = [str(header)] + [cell_text(row[column - 1], header) for row in rows if len(row) >= column]
        width = max(_display_width(text) for text in texts) + 2
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width, MIN_WIDTH), MAX_WIDTH)


def _table_sheet(sheet, title: str, headers, rows) -> None:
    """Row 1 the title, row 2 the header (frozen), then the rows."""
    sheet.cell(row=1, column=1, value=_text(str(title))).font = Font(bold=True, size=12)
    _write_header(sheet, 2, headers)
    for offset, row in enumerate(rows):
        _write_row(sheet, 3 + offset, row, headers)
    sheet.freeze_panes = "A3"
    _fit_columns(sheet, rows, headers)


def report_workbook(data: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    used: set[str] = set()
    sheet.title = sheet_name(_("Headline"), used)
    title = f"{data['title']} · {data['branch']} · {data['month']:%Y-%m}"
    sheet.cell(row=1, column=1, value=_text(title)).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=_text(str(_("Figures as of"))))
    sheet.cell(row=2, column=2, value=data["figures_date"].isoformat())
    headers = [_("Indicator"), _("Value")]
    _write_header(sheet, 3, headers)
    for offset, (label, value) in enumerate(data["headline"]):
        _write_row(sheet, 4 + offset, [str(label), value], [str(label), str(label)])
    sheet.freeze_panes = "A4"
    _fit_columns(sheet, [[str(label), value] for label, value in data["headline"]], headers)
    for table in data["tables"]:
        tab = book.create_sheet(sheet_name(str(table.title), used))
        _table_sheet(tab, str(table.title), [str(h) for h in table.headers], list(table.rows))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
