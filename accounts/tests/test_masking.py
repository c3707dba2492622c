from accounts.masking import mask_id_number, mask_phone


def test_id_number_keeps_region_code_and_last_four():
    assert mask_id_number("430424199001011234") == "430424********1234"


def test_credit_code_is_masked_the_same_way():
    assert mask_id_number("91430424MA4L12345X") == "914304********345X"


def test_mobile_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_landline_keeps_last_four():
    assert mask_phone("0734-5212345") == "********2345"


def test_empty_values_stay_empty():
    assert mask_id_number("") == "" and mask_phone("") == ""
