"""Month-end snapshots from two writers at once, on the real PostgreSQL: one row per date,
branch and officer, and neither writer fails (core.locks, ``dashboard.snapshots``)."""

import datetime as dt

import pytest

from core.testing import run_together
from dashboard.models import PortfolioSnapshot
from dashboard.services import snapshot_build, snapshot_import_csv
from dashboard.tests.conftest import make_loan

pytestmark = pytest.mark.django_db(transaction=True)
MONTH_END = dt.date(2026, 10, 31)


def test_two_snapshot_builds_of_the_same_month_end_at_once_write_it_once(
    frozen_today, branch, officer, other_officer
):
    make_loan(branch=branch, officer=officer, balance="300000.00")
    make_loan(branch=branch, officer=other_officer, balance="50000.00")

    results = run_together(lambda: snapshot_build(as_of=MONTH_END), lambda: snapshot_build(as_of=MONTH_END))

    assert results == [2, 2]
    assert PortfolioSnapshot.objects.filter(as_of=MONTH_END).count() == 2


def test_a_snapshot_build_and_a_history_import_at_once_leave_one_row_each(frozen_today, branch, officer):
    make_loan(branch=branch, officer=officer, balance="300000.00")
    csv = (
        "as_of,branch,officer,balance,npl_balance,overdue_balance,loan_count\n"
        f"2026-10-31,{branch.code},{officer.username},300000.00,0.00,0.00,1\n"
    ).encode()

    run_together(
        lambda: snapshot_build(as_of=MONTH_END),
        lambda: snapshot_import_csv(data=csv, allowed_branch_ids={branch.pk}),
    )

    assert PortfolioSnapshot.objects.filter(as_of=MONTH_END, officer=officer).count() == 1
