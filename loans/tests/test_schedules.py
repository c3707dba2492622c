import datetime as dt
from decimal import Decimal

import pytest

from loans.schedules import METHODS, build_schedule, due_dates, equal_instalment_payment

MILLION = Decimal("1000000.00")


def test_published_check_equal_instalments_pay_5307_27_a_month():
    assert equal_instalment_payment(MILLION, Decimal("4.9"), 360) == Decimal("5307.27")
    lines = build_schedule(
        principal=MILLION,
        annual_rate=Decimal("4.9"),
        method="equal_instalment",
        start=dt.date(2020, 1, 15),
        matures_on=dt.date(2050, 1, 15),
        repayment_day=15,
    )
    assert len(lines) == 360
    assert {line.amount for line in lines[:-1]} == {Decimal("5307.27")}
    assert lines[0].interest == Decimal("4083.33")


def test_published_check_equal_principal_pays_6861_11_in_month_one():
    lines = build_schedule(
        principal=MILLION,
        annual_rate=Decimal("4.9"),
        method="equal_principal",
        start=dt.date(2020, 1, 15),
        matures_on=dt.date(2050, 1, 15),
        repayment_day=15,
    )
    assert lines[0].amount == Decimal("6861.11")
    assert lines[1].principal == Decimal("2777.78")
    assert lines[-1].amount < lines[0].amount


@pytest.mark.parametrize("method", METHODS)
def test_every_method_repays_the_principal_exactly_to_the_fen(method):
    lines = build_schedule(
        principal=Decimal("123456.78"),
        annual_rate=Decimal("5.35"),
        method=method,
        start=dt.date(2025, 3, 10),
        matures_on=dt.date(2028, 3, 10),
        repayment_day=10,
    )
    assert sum(line.principal for line in lines) == Decimal("123456.78")
    assert all(line.principal >= 0 and line.interest >= 0 for line in lines)
    assert all(line.principal == line.principal.quantize(Decimal("0.01")) for line in lines)
    assert lines[-1].due_on == dt.date(2028, 3, 10)


def test_the_last_instalment_absorbs_the_rounding_difference():
    lines = build_schedule(
        principal=Decimal("10000.00"),
        annual_rate=Decimal("4.35"),
        method="equal_principal",
        start=dt.date(2025, 1, 5),
        matures_on=dt.date(2025, 4, 5),
        repayment_day=5,
    )
    assert [line.principal for line in lines] == [Decimal("3333.33"), Decimal("3333.33"), Decimal("3333.34")]


def test_interest_only_pays_interest_monthly_and_principal_at_maturity():
    lines = build_schedule(
        principal=Decimal("120000.00"),
        annual_rate=Decimal("6"),
        method="interest_only",
        start=dt.date(2025, 1, 20),
        matures_on=dt.date(2026, 1, 20),
        repayment_day=20,
    )
    assert len(lines) == 12
    assert {line.interest for line in lines} == {Decimal("600.00")}
    assert [line.principal for line in lines[:-1]] == [Decimal("0.00")] * 11
    assert lines[-1].principal == Decimal("120000.00")


def test_bullet_pays_actual_days_interest_at_maturity():
    (line,) = build_schedule(
        principal=Decimal("100000.00"),
        annual_rate=Decimal("3.6"),
        method="bullet",
        start=dt.date(2025, 1, 1),
        matures_on=dt.date(2025, 7, 1),
        repayment_day=1,
    )
    assert line.due_on == dt.date(2025, 7, 1)
    assert line.interest == Decimal("1810.00")  # 100000 × 3.6 % / 360 × 181 days


def test_repayment_day_31_falls_back_to_the_months_last_day():
    assert due_dates(start=dt.date(2024, 1, 31), matures_on=dt.date(2024, 6, 30), repayment_day=31) == [
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 31),
        dt.date(2024, 4, 30),
        dt.date(2024, 5, 31),
        dt.date(2024, 6, 30),
    ]
    assert due_dates(start=dt.date(2025, 1, 29), matures_on=dt.date(2025, 3, 29), repayment_day=29)[
        0
    ] == dt.date(2025, 2, 28)


def test_monthly_settlement_charges_the_first_interest_on_the_20th_for_the_actual_days():
    lines = build_schedule(
        principal=MILLION,
        annual_rate=Decimal("4.35"),
        method="monthly_settlement",
        start=dt.date(2026, 1, 5),
        matures_on=dt.date(2026, 12, 5),
        repayment_day=5,
    )
    # 1,000,000 × 4.35 % × 15 / 360 = 1,812.50 for 5 → 20 January.
    assert (lines[0].due_on, lines[0].interest, lines[0].principal) == (
        dt.date(2026, 1, 20),
        Decimal("1812.50"),
        Decimal("0.00"),
    )
    assert (lines[1].due_on, lines[1].interest) == (dt.date(2026, 2, 20), Decimal("3745.83"))  # 31 days
    assert [line.due_on.day for line in lines[:-1]] == [20] * 11
    # The last period ends at maturity: 20 November → 5 December, 15 days, with the principal.
    assert (lines[-1].due_on, lines[-1].interest, lines[-1].principal) == (
        dt.date(2026, 12, 5),
        Decimal("1812.50"),
        MILLION,
    )


def test_quarterly_settlement_charges_interest_on_the_20th_of_each_quarters_last_month():
    lines = build_schedule(
        principal=MILLION,
        annual_rate=Decimal("4.35"),
        method="quarterly_settlement",
        start=dt.date(2026, 1, 5),
        matures_on=dt.date(2027, 1, 5),
        repayment_day=5,
    )
    assert [line.due_on for line in lines] == [
        dt.date(2026, 3, 20),
        dt.date(2026, 6, 20),
        dt.date(2026, 9, 20),
        dt.date(2026, 12, 20),
        dt.date(2027, 1, 5),
    ]
    assert lines[0].interest == Decimal("8941.67")  # 74 days: 1,000,000 × 4.35 % × 74 / 360
    assert lines[-1].interest == Decimal("1933.33")  # 16 days
    assert [line.principal for line in lines] == [Decimal("0.00")] * 4 + [MILLION]


def test_a_loan_disbursed_on_the_20th_settles_first_on_the_next_20th():
    lines = build_schedule(
        principal=MILLION,
        annual_rate=Decimal("3.6"),
        method="monthly_settlement",
        start=dt.date(2026, 3, 20),
        matures_on=dt.date(2026, 5, 20),
        repayment_day=20,
    )
    assert [(line.due_on, line.interest) for line in lines] == [
        (dt.date(2026, 4, 20), Decimal("3100.00")),  # 31 days
        (dt.date(2026, 5, 20), Decimal("3000.00")),  # 30 days, at maturity
    ]
