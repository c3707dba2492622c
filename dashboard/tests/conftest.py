import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from dashboard.factories import PortfolioSnapshotFactory
from dashboard.selectors import ledger_version_bump
from loans.domain import Bucket, RiskClass
from loans.factories import LoanFactory

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def fresh_ledger_figures():
    """Each test starts with no cached figures (a new ledger version, nothing flushed)."""
    ledger_version_bump()


@pytest.fixture(autouse=True)
def chinese():
    """Messages are checked in Chinese, the default, whatever an earlier test switched to."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield TODAY


def make_loan(*, branch, officer, balance="100000.00", **kwargs):
    amount = Decimal(balance)
    return LoanFactory(
        borrower__branch=branch,
        borrower__officer=officer,
        principal=max(amount, Decimal("1.00")) * 2,
        balance=amount,
        **kwargs,
    )


def make_npl_loan(*, branch, officer, balance="50000.00", days=120):
    return make_loan(
        branch=branch,
        officer=officer,
        balance=balance,
        days_past_due=days,
        bucket=Bucket.D91_180,
        risk_class=RiskClass.SUBSTANDARD,
        overdue_principal=Decimal("1000.00"),
    )


def snapshot(*, branch, as_of, balance, officer=None, npl="0.00"):
    return PortfolioSnapshotFactory(
        branch=branch, officer=officer, as_of=as_of, balance=Decimal(balance), npl_balance=Decimal(npl)
    )
