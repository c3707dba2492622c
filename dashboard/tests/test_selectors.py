import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from core.registry import DashboardScope
from dashboard.selectors import as_of_parse, dashboard_scope, summary, zero_npl_years
from dashboard.tests.conftest import make_loan, make_npl_loan, snapshot


def _scope(branch, as_of, officer_id=None):
    return DashboardScope(user=None, branch_ids=frozenset({branch.pk}), officer_id=officer_id, as_of=as_of)


@pytest.mark.django_db
def test_headline_today_comes_from_the_ledger_and_counts_change_from_1_january(frozen_today, branch, officer):
    make_loan(branch=branch, officer=officer, balance="300000.00")
    make_npl_loan(branch=branch, officer=officer, balance="100000.00")
    snapshot(branch=branch, as_of=dt.date(2026, 1, 1), balance="250000.00")
    figures = summary(_scope(branch, frozen_today))
    assert figures["balance"] == Decimal("400000.00")
    assert figures["balance_at_year_start"] == Decimal("250000.00")
    assert figures["change_since_year_start"] == Decimal("150000.00")
    assert figures["npl_balance"] == Decimal("100000.00")
    assert figures["npl_ratio"] == Decimal("0.2500")
    assert figures["overdue_balance"] == Decimal("100000.00")
    assert figures["by_class"]["3"] == Decimal("100000.00")
    assert figures["by_bucket"]["current"] == Decimal("300000.00")
    assert figures["zero_npl_years"] == 0  # NPL today breaks the run


@pytest.mark.django_db
def test_year_start_falls_back_to_31_december(frozen_today, branch, officer):
    make_loan(branch=branch, officer=officer, balance="120000.00")
    snapshot(branch=branch, as_of=dt.date(2025, 12, 31), balance="100000.00")
    figures = summary(_scope(branch, frozen_today))
    assert figures["change_since_year_start"] == Decimal("20000.00")


@pytest.mark.django_db
def test_past_date_reads_the_latest_snapshot_on_or_before_it(frozen_today, branch, officer):
    make_loan(branch=branch, officer=officer, balance="999999.00")
    snapshot(branch=branch, as_of=dt.date(2026, 9, 30), balance="500000.00")
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="600000.00")
    figures = summary(_scope(branch, dt.date(2026, 11, 15)))
    assert figures["balance"] == Decimal("600000.00")
    assert figures["portfolio"].figures_date == dt.date(2026, 10, 31)


@pytest.mark.django_db
def test_a_date_before_any_data_is_a_clear_error(frozen_today, branch):
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="1.00")
    with pytest.raises(ValidationError, match="2020-01-31 及以前没有数据"):
        summary(_scope(branch, dt.date(2020, 1, 31)))


@pytest.mark.django_db
def test_zero_npl_run_counts_consecutive_year_ends(frozen_today, branch):
    for year in range(2019, 2026):
        snapshot(branch=branch, as_of=dt.date(year, 12, 31), balance="1000.00")
    snapshot(branch=branch, as_of=dt.date(2018, 12, 31), balance="1000.00", npl="10.00")
    assert zero_npl_years(_scope(branch, frozen_today), npl_now=Decimal("0")) == 7


@pytest.mark.django_db
def test_zero_npl_run_stops_at_a_missing_year_and_accepts_1_january(frozen_today, branch):
    snapshot(branch=branch, as_of=dt.date(2026, 1, 1), balance="1000.00")  # stands for 2025
    snapshot(branch=branch, as_of=dt.date(2024, 12, 31), balance="1000.00")
    snapshot(branch=branch, as_of=dt.date(2022, 12, 31), balance="1000.00")  # 2023 missing
    assert zero_npl_years(_scope(branch, frozen_today), npl_now=Decimal("0")) == 2


def test_as_of_that_is_not_a_date_is_a_clear_error(frozen_today):
    with pytest.raises(ValidationError, match="不是日期"):
        as_of_parse("31/10/2026")
    with pytest.raises(ValidationError, match="将来"):
        as_of_parse("2026-12-01")
    assert as_of_parse("") == frozen_today


@pytest.mark.django_db
def test_officer_scope_is_their_own_portfolio(frozen_today, officer, branch):
    scope = dashboard_scope(officer, as_of=frozen_today)
    assert scope.officer_id == officer.pk and scope.branch_ids == {branch.pk}


@pytest.mark.django_db
def test_city_head_sees_every_branch_below_and_may_pick_one(frozen_today, city_head, branch, other_branch):
    scope = dashboard_scope(city_head, as_of=frozen_today)
    assert {branch.pk, other_branch.pk} <= scope.branch_ids and scope.officer_id is None
    assert dashboard_scope(city_head, as_of=frozen_today, branch_code=other_branch.code).branch_ids == {
        other_branch.pk
    }


@pytest.mark.django_db
def test_a_branch_the_user_may_not_see_is_404(frozen_today, branch_head, other_branch):
    with pytest.raises(Http404):
        dashboard_scope(branch_head, as_of=frozen_today, branch_code=other_branch.code)


@pytest.mark.django_db
def test_todays_figures_are_cached_until_the_ledger_changes(frozen_today, branch, officer):
    from dashboard.services import ledger_figures_changed

    loan = make_loan(branch=branch, officer=officer, balance="100.00")
    assert summary(_scope(branch, frozen_today))["balance"] == Decimal("100.00")
    loan.balance = Decimal("80.00")
    loan.save()
    assert summary(_scope(branch, frozen_today))["balance"] == Decimal("100.00")
    ledger_figures_changed(loan_ids=[loan.pk], as_of=frozen_today)
    assert summary(_scope(branch, frozen_today))["balance"] == Decimal("80.00")
