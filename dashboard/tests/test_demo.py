import datetime as dt
from decimal import Decimal

import pytest

from core.registry import DashboardScope
from dashboard.demo import seed
from dashboard.models import MonthlyReport, PortfolioSnapshot
from dashboard.selectors import summary
from dashboard.tests.conftest import make_loan


@pytest.mark.django_db
def test_demo_does_nothing_without_loans(frozen_today):
    seed()
    assert not PortfolioSnapshot.objects.exists()


@pytest.mark.django_db
def test_demo_tells_the_story_and_is_idempotent(frozen_today, branch, officer, other_officer):
    make_loan(branch=branch, officer=officer, balance="119210000.00")
    make_loan(branch=branch, officer=other_officer, balance="100000000.00", product="housing")
    seed()
    count = PortfolioSnapshot.objects.count()
    seed()
    assert PortfolioSnapshot.objects.count() == count
    scope = DashboardScope(user=None, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=frozen_today)
    figures = summary(scope)
    assert figures["balance"] == Decimal("219210000.00")
    assert figures["balance_at_year_start"] == Decimal("200250000.00")
    assert figures["change_since_year_start"] == Decimal("18960000.00")
    assert figures["zero_npl_years"] == 10
    assert PortfolioSnapshot.objects.filter(as_of=dt.date(2026, 10, 31)).count() == 2
    for row in PortfolioSnapshot.objects.all():
        assert sum(Decimal(v) for v in row.by_product.values()) == row.balance


@pytest.mark.django_db
def test_demo_leaves_last_months_report_for_the_reports_page(frozen_today, branch, officer):
    make_loan(branch=branch, officer=officer, balance="1000000.00")
    seed()
    assert MonthlyReport.objects.filter(branch=branch, month=dt.date(2026, 10, 1)).exists()
