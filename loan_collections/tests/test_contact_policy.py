import datetime as dt

import pytest
from django.utils import translation

from loan_collections.contact_policy import SHANGHAI, PolicyRules, contact_window, quiet_day_label

RULES = PolicyRules()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_chinese_new_years_eve_2026_is_the_29th_and_still_a_quiet_day():
    # 除夕 2026-02-16 is 腊月廿九: the 12th lunar month of 2025 has 29 days.
    verdict = contact_window(at("2026-02-16 11:00"), RULES)
    assert not verdict.allowed
    assert "腊月廿九" in verdict.reason
    # 2026-02-17 is 正月初一, so the next allowed time is 2026-02-18 10:00.
    assert verdict.next_allowed == at("2026-02-18 10:00")


def test_literal_thirtieth_setting_lets_a_29th_through():
    rules = PolicyRules(literal_thirtieth=True)
    assert contact_window(at("2026-02-16 11:00"), rules).allowed


def test_lunar_first_and_fifteenth_are_quiet():
    assert quiet_day_label(dt.date(2026, 2, 17)) is not None  # 正月初一
    assert quiet_day_label(dt.date(2026, 3, 3)) is not None  # 正月十五 (元宵)
    assert quiet_day_label(dt.date(2026, 3, 4)) is None


def test_leap_month_days_count_like_any_other_month():
    # 2025 has a leap sixth month (闰六月): it starts 2025-07-25 and has 29 days.
    first = contact_window(at("2025-07-25 11:00"), RULES)
    assert not first.allowed and "闰六月" in first.reason
    assert not contact_window(at("2025-08-08 11:00"), RULES).allowed  # 闰六月十五
    last = contact_window(at("2025-08-22 11:00"), RULES)  # 闰六月廿九, the last day
    assert not last.allowed and "闰六月廿九" in last.reason
    assert contact_window(at("2025-08-21 11:00"), RULES).allowed


def test_a_thirty_day_month_ends_on_its_thirtieth_not_its_twenty_ninth():
    # 七月 2025 has 30 days: 2025-09-20 is 七月廿九 (allowed), 2025-09-21 七月三十 (quiet).
    assert contact_window(at("2025-09-20 11:00"), RULES).allowed
    assert not contact_window(at("2025-09-21 11:00"), RULES).allowed


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        ("2026-03-04 09:59", False),
        ("2026-03-04 10:00", True),
        ("2026-03-04 19:59", True),
        ("2026-03-04 20:00", False),
    ],
)
def test_ten_oclock_and_eight_pm_boundaries(moment, allowed):
    assert contact_window(at(moment), RULES).allowed is allowed


def test_before_ten_the_next_allowed_time_is_ten_the_same_day():
    verdict = contact_window(at("2026-03-04 08:15"), RULES)
    assert verdict.next_allowed == at("2026-03-04 10:00")
    assert "10:00" in verdict.reason


def test_after_the_evening_limit_the_next_allowed_time_is_ten_next_morning():
    verdict = contact_window(at("2026-03-04 20:30"), RULES)
    assert verdict.next_allowed == at("2026-03-05 10:00")


def test_weekly_call_cap_pushes_to_next_monday():
    # 2026-03-04 is a Wednesday; three calls already this week.
    verdict = contact_window(at("2026-03-04 11:00"), RULES, calls_this_week=3)
    assert not verdict.allowed
    assert verdict.next_allowed == at("2026-03-09 10:00")
    assert contact_window(at("2026-03-04 11:00"), RULES, calls_this_week=3, is_call=False).allowed


def test_reasons_are_chinese_by_default_and_english_under_en():
    with translation.override("zh-hans"):
        assert "不" in contact_window(at("2026-03-04 08:00"), RULES).reason
    with translation.override("en"):
        assert "before 10:00" in contact_window(at("2026-03-04 08:00"), RULES).reason


def test_next_allowed_is_aware_shanghai_time_even_for_utc_input():
    verdict = contact_window(dt.datetime(2026, 3, 4, 0, 0, tzinfo=dt.UTC), RULES)  # 08:00 in Shanghai
    assert verdict.next_allowed.utcoffset() == dt.timedelta(hours=8)
    assert verdict.next_allowed == at("2026-03-04 10:00")


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        contact_window(dt.datetime(2026, 3, 4, 11, 0), RULES)
