import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from loans.identifiers import (
    make_credit_code,
    make_resident_id,
    normalize_identifier,
    validate_credit_code,
    validate_resident_id,
)

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
# Any Unicode, and ID-shaped strings with a stray non-ASCII digit or letter somewhere.
ANY_ID = st.text(st.characters(codec=None), max_size=24) | st.lists(
    st.sampled_from("0123456789X²³¹①０９١٣४Ｘx "), min_size=16, max_size=20
).map("".join)


def test_published_resident_id_example_passes():
    # The worked example of GB 11643-1999, annex: 11010519491231002X.
    validate_resident_id("11010519491231002X")


def test_lower_case_x_is_accepted():
    validate_resident_id("11010519491231002x")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491231002", "id_length"),
        ("1101051949123100AX", "id_format"),
        ("110105194902300021", "id_birth_date"),
    ],
)
def test_bad_resident_ids_are_rejected_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_resident_id(value)
    assert error.value.code == code


def test_published_credit_code_example_passes():
    # The example code printed in many GB 32100 explanations.
    validate_credit_code("91350100M000100Y43")


def test_credit_code_with_wrong_check_character_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M000100Y44")
    assert error.value.code == "credit_code_checksum"


def test_credit_code_with_forbidden_letters_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M0001OOY43")
    assert error.value.code == "credit_code_format"


def test_generated_identifiers_are_valid():
    for n in range(200):
        validate_resident_id(make_resident_id("430424", dt.date(1970, 1, 1) + dt.timedelta(days=n * 37), n))
        validate_credit_code(make_credit_code("430424", n * 7919))


def test_full_width_resident_id_normalises_to_the_ascii_one():
    ascii_id = "11010519491231002X"
    full_width = ascii_id.translate(FULL_WIDTH)
    validate_resident_id(full_width)
    assert normalize_identifier(full_width) == ascii_id


def test_superscript_digit_in_a_resident_id_is_a_validation_error_not_a_crash():
    with pytest.raises(ValidationError):
        validate_resident_id("11010519491231002²")
    with pytest.raises(ValidationError):
        validate_resident_id("1101051949123100²X")


@settings(max_examples=300, deadline=None, database=None)
@given(ANY_ID)
def test_resident_id_validator_accepts_or_raises_validation_error_for_any_text(value):
    try:
        validate_resident_id(value)
    except ValidationError:
        return
    assert normalize_identifier(value).isascii()


@settings(max_examples=300, deadline=None, database=None)
@given(ANY_ID)
def test_credit_code_validator_accepts_or_raises_validation_error_for_any_text(value):
    try:
        validate_credit_code(value)
    except ValidationError:
        return
    assert normalize_identifier(value).isascii()
