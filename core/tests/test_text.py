"""core.text: identifiers, codes and numbers are ASCII in one place, whatever Unicode comes in."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.text import normalize_ascii, optional_int, parse_int

ANY_TEXT = st.text(st.characters(codec=None), max_size=40)
SETTINGS = settings(max_examples=300, deadline=None, database=None)


@SETTINGS
@given(ANY_TEXT)
def test_normalize_ascii_returns_printable_ascii_or_a_validation_error(value):
    try:
        result = normalize_ascii(value)
    except ValidationError:
        return
    assert result.isascii() and result.isprintable()


@SETTINGS
@given(ANY_TEXT)
def test_parse_int_returns_a_whole_number_or_a_validation_error(value):
    with contextlib.suppress(ValidationError):
        assert parse_int(value) >= 0


@SETTINGS
@given(ANY_TEXT)
def test_optional_int_never_raises(value):
    assert optional_int(value) is None or optional_int(value) >= 0


def test_full_width_digits_and_letters_become_ascii():
    assert normalize_ascii("　４３０４２４ＡＢｃ－１　") == "430424ABc-1"
    assert parse_int("１５") == 15


@pytest.mark.parametrize("value", ["12²", "①2", "١٢٣", "12\x00", "x\u202e"])
def test_superscripts_other_scripts_digits_and_control_characters_are_refused(value):
    with pytest.raises(ValidationError) as raised:
        normalize_ascii(value)
    assert raised.value.code == "not_ascii"
    assert optional_int(value) is None


def test_a_superscript_digit_is_not_a_query_parameter_id():
    assert optional_int("²") is None
    assert optional_int("") is None
    assert optional_int(None) is None


def test_a_number_too_long_for_a_bigint_is_not_a_whole_number():
    assert parse_int("9" * 18) == 10**18 - 1
    assert optional_int("9" * 19) is None
    assert optional_int("9" * 5000) is None  # int() alone raises ValueError past 4,300 digits
