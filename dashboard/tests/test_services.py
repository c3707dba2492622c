import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dashboard.models import PortfolioSnapshot
from dashboard.services import snapshot_build, snapshot_import_csv
from dashboard.tests.conftest import make_loan, make_npl_loan


@pytest.mark.django_db
def test_snapshot_has_a_row_per_branch_and_officer_with_breakdowns(
    frozen_today, branch, officer, other_officer
):
    make_loan(branch=branch, officer=officer, balance="300000.00", product="housing")
    make_npl_loan(branch=branch, officer=officer, balance="100000.00")
    make_loan(branch=branch, officer=other_officer, balance="50000.00")
    assert snapshot_build(as_of=dt.date(2026, 10, 31)) == 2
    mine = PortfolioSnapshot.objects.get(officer=officer)
    assert mine.balance == Decimal("400000.00") and mine.npl_balance == Decimal("100000.00")
    assert mine.overdue_balance == Decimal("100000.00") and mine.loan_count == 2
    assert mine.by_product == {"housing": "300000.00", "consumer": "100000.00"}
    assert mine.by_class == {"1": "300000.00", "3": "100000.00"}
    assert mine.by_borrower_type == {"individual": "400000.00"}


@pytest.mark.django_db
def test_building_a_snapshot_twice_replaces_it(frozen_today, branch, officer):
    loan = make_loan(branch=branch, officer=officer, balance="300000.00")
    snapshot_build(as_of=dt.date(2026, 10, 31))
    loan.balance = Decimal("200000.00")
    loan.save()
    snapshot_build(as_of=dt.date(2026, 10, 31))
    rows = PortfolioSnapshot.objects.filter(as_of=dt.date(2026, 10, 31))
    assert rows.count() == 1 and rows.get().balance == Decimal("200000.00")


@pytest.mark.django_db
def test_a_snapshot_cannot_be_dated_in_the_future(frozen_today):
    with pytest.raises(ValidationError, match="将来"):
        snapshot_build(as_of=dt.date(2026, 12, 31))


CSV = (
    "as_of,branch,officer,balance,npl_balance,overdue_balance,loan_count,product:housing,class:1\n"
    "2025-12-31,430424,,200250000.00,0.00,0.00,1150,120000000.00,200250000.00\n"
    "2024-12-31,430424,officer,190000000.00,0.00,0.00,1100,,\n"
)


@pytest.mark.django_db
def test_history_csv_imports_and_a_second_import_replaces(frozen_today, branch, officer):
    assert snapshot_import_csv(data=CSV.encode(), allowed_branch_ids={branch.pk}) == 2
    assert snapshot_import_csv(data=CSV.encode(), allowed_branch_ids={branch.pk}) == 2
    assert PortfolioSnapshot.objects.count() == 2
    row = PortfolioSnapshot.objects.get(as_of=dt.date(2025, 12, 31))
    assert row.officer is None and row.by_product == {"housing": "120000000.00"}
    assert PortfolioSnapshot.objects.get(as_of=dt.date(2024, 12, 31)).officer == officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("as_of,branch\n", "缺少列"),
        (CSV.replace("2025-12-31", "2025-13-31"), "第 2 行：as_of"),
        (CSV.replace("190000000.00", "abc"), "第 3 行：balance"),
        (CSV.replace(",0.00,0.00,1150", ",300000000.00,0.00,1150"), "不能超过"),
        (CSV.replace("430424,officer", "430426,officer"), "不在您的权限内"),
        (CSV.replace("430424,officer,", "430424,nobody,"), "客户经理“nobody”不存在"),
        (CSV.replace("class:1", "class:9"), "未知列"),
    ],
)
def test_a_bad_history_csv_is_refused_whole_with_the_line(frozen_today, branch, officer, text, message):
    with pytest.raises(ValidationError, match=message):
        snapshot_import_csv(data=text.encode(), allowed_branch_ids={branch.pk})
    assert not PortfolioSnapshot.objects.exists()
