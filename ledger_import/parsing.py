"""Reading spreadsheets and checking cells, with no database writes.

Files come from the core banking system as .xlsx or .csv (UTF-8 with or without BOM, or
GB18030/GBK, which is what Excel on a Chinese Windows desktop writes). The type is decided
by the content, never by the file name. Every problem becomes an ``Issue`` naming the
spreadsheet row (the header is row 1), the column as written in the file and a reason in
Chinese and English, so a file is reported whole instead of stopping at the first error.
"""

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.text import normalize_ascii

LANGUAGES = ("zh-hans", "en")


def bilingual(message, params: dict | None = None) -> dict[str, str]:
    """The message rendered in every UI language: {"zh-hans": ..., "en": ...}."""
    rendered = {}
    for language in LANGUAGES:
        with translation.override(language):
            text = str(message)
            rendered[language] = text % params if params else text
    return rendered


def reason_text(reason: dict[str, str]) -> str:
    """The reason in the active language (Chinese unless English is active)."""
    language = translation.get_language() or "zh-hans"
    return reason.get("en" if language.startswith("en") else "zh-hans") or next(iter(reason.values()), "")


@dataclass
class Issue:
    row: int  # spreadsheet row number; 0 for the file as a whole
    column: str
    reason: dict[str, str]

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


class FileRejected(Exception):
    """The file cannot be read at all (not a spreadsheet, empty, missing columns)."""

    def __init__(self, issues: list[Issue]):
        super().__init__(issues)
        self.issues = issues


def file_issue(message, params=None) -> FileRejected:
    return FileRejected([Issue(0, "", bilingual(message, params))])


# --- File type and reading --------------------------------------------------------------

XLSX = "xlsx"
CSV = "csv"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOM = b"\xef\xbb\xbf"
# Files are read in pieces of this size, never whole: a province's ledger is hundreds of MB.
CHUNK = 1 << 16


def as_file(data: bytes | BinaryIO) -> BinaryIO:
    """A seekable binary file for the bytes of a small file, or the (stored) file itself."""
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(data)
    return data


def _chunks(source: BinaryIO, start: int = 0) -> Iterator[bytes]:
    source.seek(start)
    while chunk := source.read(CHUNK):
        yield chunk


def detect_format(data: bytes | BinaryIO) -> str:
    """ "xlsx" or "csv" from the bytes themselves; FileRejected for anything else."""
    source = as_file(data)
    source.seek(0)
    head = source.read(CHUNK)
    source.seek(0)
    if not head.strip() and (len(head) < CHUNK or not any(chunk.strip() for chunk in _chunks(source))):
        raise file_issue(_("The file is empty."))
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(source) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return XLSX
        except zipfile.BadZipFile:
            pass
        raise file_issue(_("The file is a ZIP archive but not an Excel workbook (.xlsx)."))
    if head[:8] == _OLE_MAGIC:
        raise file_issue(_("Old Excel files (.xls) are not accepted: save the file as .xlsx or .csv."))
    if b"\x00" in head:
        raise file_issue(_("The file is not a spreadsheet (.xlsx or .csv)."))
    text_encoding(source)  # raises when it is not text either
    return CSV


def _decodes(source: BinaryIO, start: int, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in _chunks(source, start):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def text_encoding(source: BinaryIO) -> tuple[str, int]:
    """(encoding, offset of the text): UTF-8 (with or without BOM) first, else GB18030, a
    superset of GBK and GB2312. The whole file is decoded once, piece by piece, so a file
    is never read as one encoding and found to be another half-way through the check."""
    source.seek(0)
    start = len(_BOM) if source.read(len(_BOM)) == _BOM else 0
    for encoding in ("utf-8", "gb18030"):
        if _decodes(source, start, encoding):
            source.seek(start)
            return encoding, start
    raise file_issue(_("The file is not a spreadsheet: it is neither .xlsx nor text in UTF-8 or GBK."))


def decode_text(data: bytes) -> str:
    """The text of a small file's bytes (see text_encoding)."""
    encoding, start = text_encoding(io.BytesIO(data))
    return data[start:].decode(encoding)


def iter_rows(data: bytes | BinaryIO) -> Iterator[list]:
    """The rows of the first sheet (or of the CSV), header first, as lists of cell values
    (str for CSV; str, int, float, datetime or None for XLSX). The file is read as the rows
    are consumed, never held whole."""
    source = as_file(data)
    kind = detect_format(source)
    if kind == XLSX:
        yield from _xlsx_rows(source)
        return
    encoding, start = text_encoding(source)
    source.seek(start)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    try:
        # The delimiter is whatever the header line uses most (Excel writes "," or, for
        # "Unicode text", a tab); the header holds no quoted commas, unlike amount cells.
        header = text.readline()
        delimiter = max(",\t;", key=header.count)
        yield from csv.reader(itertools.chain([header], text), delimiter=delimiter)
    finally:
        if not source.closed:
            text.detach()  # the caller's file stays open


def _xlsx_rows(source: BinaryIO) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        source.seek(0)
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise file_issue(_("The Excel workbook cannot be read; it may be damaged.")) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_SPACES = re.compile(r"\s+")


def normalize_header(value) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\ufeff", "").replace("（", "(").replace("）", ")").strip()
    return _SPACES.sub("", text).lower()


# --- Cell parsers: each returns the value or raises CellError ----------------------------


class CellError(Exception):
    def __init__(self, message, params=None):
        super().__init__(message)
        self.message = message
        self.params = params


def text(value, *, max_length: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if len(result) > max_length:
        raise CellError(
            _("At most %(max)d characters; this has %(count)d."), {"max": max_length, "count": len(result)}
        )
    return result


def plain(value, *, refusal=None) -> str:
    """The cell as ASCII text (core.text.normalize_ascii: full-width digits folded, other
    non-ASCII refused), for every cell that holds a code, a phone, a number or a date.
    ``refusal``: the message for a cell that is not ASCII (e.g. "Not a number: %(value)s.")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return normalize_ascii(value)
    except ValidationError as error:
        if refusal is None:
            raise CellError(error.message, error.params) from None
        raise CellError(refusal, {"value": error.params["value"]}) from None


def code(value, *, max_length: int) -> str:
    """An identifier, code or phone: ASCII only, so one value has one spelling."""
    # The common case first: printable ASCII text is what plain() would return, stripped.
    if value.__class__ is str and value.isascii() and value.isprintable():
        result = value.strip()
        if len(result) <= max_length:
            return result
    return text(plain(value), max_length=max_length)


_NOT_A_NUMBER = _("Not a number: %(value)s.")
_NOT_A_WHOLE_NUMBER = _("Not a whole number: %(value)s.")
_NOT_A_DATE = _("Not a date (use YYYY-MM-DD): %(value)s.")
_PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$", re.ASCII)
_GROUPED_NUMBER = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$", re.ASCII)
TWO_PLACES = Decimal("0.01")
_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(7)}
_FAST_AMOUNTS: dict[tuple[int, int], re.Pattern] = {}


def _fast_amount(places: int, max_digits: int) -> re.Pattern:
    """Plain text that is a valid amount as it is: at most max_digits - places whole digits
    and at most ``places`` decimals (everything else takes the full path of amount())."""
    key = (places, max_digits)
    pattern = _FAST_AMOUNTS.get(key)
    if pattern is None:
        pattern = re.compile(rf"[0-9]{{1,{max_digits - places}}}(?:\.[0-9]{{1,{places}}})?", re.ASCII)
        _FAST_AMOUNTS[key] = pattern
    return pattern


def amount(value, *, places: int = 2, max_digits: int = 16) -> Decimal:
    """Yuan as Decimal (see _amount); plain text that is an amount as it is, taken directly."""
    if value.__class__ is str:
        raw = value.replace(",", "") if "," in value and _GROUPED_NUMBER.match(value) else value
        if _fast_amount(places, max_digits).fullmatch(raw):
            return Decimal(raw).quantize(_QUANTUM[places])
    return _amount(value, places=places, max_digits=max_digits)


def _amount(value, *, places: int, max_digits: int) -> Decimal:
    """Yuan as Decimal: never float arithmetic. Thousands separators allowed; at most
    ``places`` decimals; never negative; at most ``max_digits`` digits in all (the column's
    size in the database: a larger number would fail the write, not the check)."""
    if isinstance(value, bool):
        raise CellError(_("Not a number: %(value)s."), {"value": value})
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr() gives the shortest text that round-trips: 1234.5, not 1234.49999...
        number = Decimal(repr(value))
    else:
        raw = str(value).strip()
        if raw.startswith("¥") or raw.startswith("￥"):
            raw = raw[1:]
        raw = plain(raw, refusal=_NOT_A_NUMBER).replace(" ", "")
        if _GROUPED_NUMBER.match(raw):
            raw = raw.replace(",", "")
        elif not _PLAIN_NUMBER.match(raw):
            raise CellError(_("Not a number: %(value)s."), {"value": str(value).strip()})
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError(_("Not a number: %(value)s."), {"value": str(value).strip()}) from None
    if not number.is_finite():
        raise CellError(_("Not a number: %(value)s."), {"value": value})
    if number < 0:
        raise CellError(_("Must not be negative (%(value)s)."), {"value": number})
    if number and number.adjusted() >= max_digits - places:
        raise CellError(_("Too large: %(value)s."), {"value": str(value).strip()})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise CellError(
            _("At most %(places)d decimal places (%(value)s)."), {"places": places, "value": number}
        )
    return number.quantize(Decimal(1).scaleb(-places))


_WHOLE_NUMBER = re.compile(r"-?[0-9]+", re.ASCII)
_LARGEST_WHOLE_NUMBER = 999_999_999


def whole_number(value) -> int:
    if value.__class__ is str and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    if isinstance(value, bool):
        raise CellError(_("Not a whole number: %(value)s."), {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = plain(value, refusal=_NOT_A_WHOLE_NUMBER)
        if raw.endswith(".0"):
            raw = raw[:-2]
        if not _WHOLE_NUMBER.fullmatch(raw):
            raise CellError(_("Not a whole number: %(value)s."), {"value": raw})
        if len(raw.lstrip("-0")) > 9:
            # int() of a 4,300-digit text raises ValueError: refuse long texts before it.
            raise CellError(_("Too large: %(value)s."), {"value": raw[:20] + "…"})
        number = int(raw)
    if number > _LARGEST_WHOLE_NUMBER:  # the columns are PostgreSQL integers
        raise CellError(_("Too large: %(value)s."), {"value": str(number)[:20]})
    if number < 0:
        raise CellError(_("Must not be negative (%(value)s)."), {"value": number})
    return number


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, with the 1900 leap-year bug absorbed
_DATE_TEXT = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$", re.ASCII)
_SERIAL_TEXT = re.compile(r"[0-9]{5}(\.0+)?", re.ASCII)


def date(value) -> dt.date:
    """YYYY-MM-DD, YYYY/MM/DD, an Excel date cell or an Excel serial day number."""
    if value.__class__ is str and len(value) == 10 and value[4] == value[7] and value[4] in "-/":
        # The common case first; anything odd (or a day that does not exist) goes the full way.
        year, month, day = value[:4], value[5:7], value[8:]
        if value.isascii() and year.isdigit() and month.isdigit() and day.isdigit():
            with contextlib.suppress(ValueError):
                return dt.date(int(year), int(month), int(day))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    raw = plain(value, refusal=_NOT_A_DATE)
    if " " in raw:
        raw = raw.split(" ", 1)[0]
    match = _DATE_TEXT.match(raw)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise CellError(_("This date does not exist: %(value)s."), {"value": raw}) from None
    if _SERIAL_TEXT.fullmatch(raw):
        return _from_serial(float(raw))
    raise CellError(_("Not a date (use YYYY-MM-DD): %(value)s."), {"value": raw})


def _from_serial(value: float) -> dt.date:
    if not 1 <= value < 2958466:
        raise CellError(_("Not a date (use YYYY-MM-DD): %(value)s."), {"value": value})
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))
