"""Chinese identifiers and their checksums.

- Resident ID number (居民身份证号), GB 11643-1999: 17 digits (6 region, 8 birth date,
  3 sequence) and an ISO 7064 MOD 11-2 check character, 0-9 or X.
- Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
  31-character alphabet (digits and upper-case letters without I, O, Z, S, V); the last is a
  MOD 31 check character over the first 17.
"""

import datetime as dt
import operator
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import normalize_ascii

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_check_char(first17: str) -> str:
    # map() rather than a generator: the import checks every borrower's ID with it.
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError(f"a resident ID's check character needs 17 digits, not {len(first17)}")
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)


def normalize_identifier(value: str) -> str:
    """The one spelling an ID number or code is stored and compared in: ASCII (full-width
    digits folded, see core.text), upper case. ValidationError for anything else, so the
    same person can never be two borrowers."""
    return normalize_ascii(value).upper()


def validate_resident_id(value: str) -> None:
    value = normalize_identifier(value)
    if len(value) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(count)d."),
            code="id_length",
            params={"count": len(value)},
        )
    if not _RESIDENT_ID.fullmatch(value):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."), code="id_format"
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this resident ID number (%(date)s) does not exist."),
            code="id_birth_date",
            params={"date": value[6:14]},
        ) from None
    if birth.year < 1900:
        raise ValidationError(
            _("The birth year in this resident ID number is not plausible."), code="id_birth_date"
        )
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character of this resident ID number is wrong (expected %(expected)s)."),
            code="id_checksum",
            params={"expected": expected},
        )


def validate_credit_code(value: str) -> None:
    value = normalize_identifier(value)
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(value)},
        )
    bad = sorted({char for char in value if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code may not contain %(chars)s."),
            code="credit_code_format",
            params={"chars": "、".join(bad)},
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong (expected %(expected)s)."),
            code="credit_code_checksum",
            params={"expected": expected},
        )


def make_resident_id(region: str, birth: dt.date, sequence: int) -> str:
    """A valid resident ID number (for demo data, factories and benchmarks)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def make_credit_code(region: str, serial: int) -> str:
    """A valid unified social credit code: 9 (industry & commerce), 1 (enterprise), region,
    a nine-character organisation code from the serial, then the check character."""
    body = ""
    for _position in range(9):
        serial, digit = divmod(serial, len(CREDIT_CODE_ALPHABET))
        body = CREDIT_CODE_ALPHABET[digit] + body
    first17 = f"91{region}{body}"
    return first17 + credit_code_check_char(first17)
