import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker

from branch_ops.celery import app
from dashboard.models import MonthlyReport, PortfolioSnapshot
from dashboard.tasks import build_month_end_snapshot, generate_monthly_reports
from dashboard.tests.conftest import make_loan
from notifications.models import OutgoingEmail

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_beat_runs_the_snapshot_on_the_28th_to_31st_and_the_report_on_the_1st():
    schedule = app.conf.beat_schedule
    snap = schedule["month-end-snapshot"]["schedule"]
    assert snap.day_of_month == {28, 29, 30, 31} and snap.hour == {23} and snap.minute == {30}
    report = schedule["monthly-report"]["schedule"]
    assert report.day_of_month == {1} and report.hour == {7} and report.minute == {0}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_month_end_task_builds_only_on_the_last_day_with_a_real_worker(branch, officer):
    make_loan(branch=branch, officer=officer, balance="1234.00")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with time_machine.travel(dt.datetime(2026, 11, 29, 23, 30, tzinfo=SHANGHAI), tick=False):
            assert build_month_end_snapshot.delay().get(timeout=30) == 0
        with time_machine.travel(dt.datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI), tick=False):
            assert build_month_end_snapshot.delay().get(timeout=30) == 1
            assert build_month_end_snapshot.delay().get(timeout=30) == 1  # twice: still one row
    row = PortfolioSnapshot.objects.get()
    assert row.as_of == dt.date(2026, 11, 30) and row.balance == 1234


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_report_task_on_the_1st_reports_the_month_before_with_a_real_worker(branch, officer, branch_head):
    make_loan(branch=branch, officer=officer, balance="1234.00")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with time_machine.travel(dt.datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI), tick=False):
            build_month_end_snapshot.delay().get(timeout=30)
        with time_machine.travel(dt.datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI), tick=False):
            ids = generate_monthly_reports.delay().get(timeout=60)
    report = MonthlyReport.objects.get(pk__in=ids)
    assert report.month == dt.date(2026, 11, 1) and report.branch == branch
    assert OutgoingEmail.objects.filter(kind="monthly_report", recipient=branch_head).count() == 1
