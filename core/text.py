"""Identifiers, codes, phones and numbers typed by people or read from files, made plain
ASCII in one place.

Python's ``str.isdigit()``, ``int()``, ``Decimal()`` and the regex ``\\d`` all accept digits
that are not ASCII: a resident ID typed in full-width digits (１２３…, what a Chinese input
method writes in full-width mode) passed the checksum and became a second borrower, and a
superscript '²' passed ``isdigit()`` and then crashed ``int()``. So every parser and
validator of such values calls ``normalize_ascii`` first and only then looks at the digits.

Only the width folding of NFKC is applied (full-width and half-width forms, U+3000 space):
it maps what a keyboard in full-width mode types to the character meant. The other
compatibility mappings of NFKC would turn '²', '①' or '⑴' into plain digits, which nobody
types on purpose in an ID number or an amount, so those are refused instead.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WIDTH_FORMS = ("<wide>", "<narrow>")
_PRINTABLE_ASCII = re.compile(r"[ -~]*", re.ASCII)
# At most 18 digits: a bigint, and far below int()'s 4,300-digit limit (which raises ValueError).
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}", re.ASCII)


def _fold_width(char: str) -> str:
    if char.isascii() or not unicodedata.decomposition(char).startswith(_WIDTH_FORMS):
        return char
    return unicodedata.normalize("NFKC", char)


def _shown(text: str) -> str:
    """The text for a message: invisible characters (NUL, direction marks) as '?'."""
    return "".join(char if char.isprintable() else "?" for char in text)


def normalize_ascii(value) -> str:
    """The value as printable ASCII without surrounding spaces: full-width letters, digits
    and punctuation become their ASCII twins; anything else that is not printable ASCII
    (superscripts, other scripts' digits, control characters) is refused."""
    text = str(value if value is not None else "")
    if not text.isascii():
        # Folding goes character by character; nearly every cell of a file is ASCII already
        # and skips it (the import reads hundreds of thousands of cells).
        text = "".join(_fold_width(char) for char in text)
    text = text.strip()
    if not _PRINTABLE_ASCII.fullmatch(text):
        bad = next(char for char in text if not _PRINTABLE_ASCII.fullmatch(char))
        raise ValidationError(
            _(
                "“%(value)s” contains %(char)s, which is not a half-width letter, digit or sign: "
                "write ID numbers, codes, phones and amounts in half-width characters."
            ),
            code="not_ascii",
            params={"value": _shown(text), "char": f"{_shown(bad)} (U+{ord(bad):04X})"},
        )
    return text


def parse_int(value) -> int:
    """A whole number ≥ 0 of at most 18 digits, written in ASCII (or full-width) digits."""
    text = normalize_ascii(value)
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValidationError(
            _("Not a whole number: %(value)s."), code="not_whole_number", params={"value": text}
        )
    return int(text)


def optional_int(value) -> int | None:
    """A query parameter's whole number, or None when it is blank or not a whole number."""
    try:
        return parse_int(value)
    except ValidationError:
        return None
