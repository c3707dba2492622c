import pytest

from loans.domain import Bucket, RiskClass, bucket_for, is_non_performing, risk_class_floor


@pytest.mark.parametrize(
    ("days", "floor"),
    [
        (0, RiskClass.NORMAL),
        (1, RiskClass.SPECIAL_MENTION),
        (90, RiskClass.SPECIAL_MENTION),
        (91, RiskClass.SUBSTANDARD),
        (270, RiskClass.SUBSTANDARD),
        (271, RiskClass.DOUBTFUL),
        (360, RiskClass.DOUBTFUL),
        (361, RiskClass.LOSS),
    ],
)
def test_days_past_due_set_the_classification_floor(days, floor):
    assert risk_class_floor(days) == floor


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, Bucket.CURRENT),
        (1, Bucket.D1_30),
        (30, Bucket.D1_30),
        (31, Bucket.D31_60),
        (91, Bucket.D91_180),
        (270, Bucket.D181_270),
        (360, Bucket.D271_360),
        (361, Bucket.OVER_360),
    ],
)
def test_days_past_due_fall_in_their_bucket(days, bucket):
    assert bucket_for(days) == bucket


def test_substandard_doubtful_and_loss_are_non_performing():
    assert [is_non_performing(c) for c in RiskClass] == [False, False, True, True, True]
