import datetime as dt

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from branch_ops.celery import app
from loans.factories import LoanFactory, ScheduleLineFactory
from loans.models import Loan
from loans.tasks import recompute_delinquency


def test_the_daily_recompute_runs_before_the_jobs_that_read_it():
    schedule = settings.CELERY_BEAT_SCHEDULE
    entry = schedule["recompute-delinquency"]
    assert entry["task"] == "loans.tasks.recompute_delinquency"
    assert entry["schedule"].hour == {5} and entry["schedule"].minute == {0}
    for later in ("generate-required-actions", "open-collection-cases"):
        when = schedule[later]["schedule"]
        assert (min(when.hour), min(when.minute)) > (5, 0)


def test_schedules_are_built_for_changed_loans():
    assert "loans.services.schedules_on_ledger_changed" in settings.LEDGER_CHANGE_HANDLERS


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_daily_recompute_runs_on_a_real_worker(settings):
    settings.LEDGER_CHANGE_HANDLERS = []  # leave no follow-up task in the queue for other tests
    loan = LoanFactory()
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 11, 1))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = recompute_delinquency.delay("2026-11-21")
        assert result.get(timeout=30) == 1
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.days_past_due == 20
    assert loan.risk_class == 2
