import datetime as dt
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker

from branch_ops.celery import app
from core.testing import run_together
from loans.factories import BorrowerFactory, CollateralFactory, IndustryPolicyFactory, LoanFactory
from loans.models import Guarantee, Loan, PolicyLevel
from post_loan.models import RequiredAction, Trigger
from watchlist.models import WatchlistEntry
from watchlist.services import watchlist_refresh
from watchlist.tasks import refresh_watchlist
from watchlist.tests.conftest import DAY


@pytest.fixture
def restricted_loan(branch, officer):
    IndustryPolicyFactory(code="C26", level=PolicyLevel.RESTRICTED)
    return LoanFactory(
        borrower=BorrowerFactory(corporate=True, industry_code="C2614", branch=branch, officer=officer)
    )


def test_a_flagged_loan_gets_an_entry_and_one_verification_action(restricted_loan):
    (entry,) = watchlist_refresh(as_of=DAY)
    assert entry.loan == restricted_loan
    assert entry.reasons == ["restricted_industry"]
    assert entry.first_flagged_on == entry.last_seen_on == DAY
    action = entry.verification_action
    assert action.template.trigger == Trigger.ON_SIGNAL
    assert action.responsible == restricted_loan.officer
    assert "预警名单" in action.reason  # stored in the site's language


def test_refresh_twice_keeps_one_entry_and_one_action(restricted_loan):
    watchlist_refresh(as_of=DAY)
    watchlist_refresh(as_of=DAY)
    watchlist_refresh(as_of=DAY + dt.timedelta(days=1))
    assert WatchlistEntry.objects.count() == 1
    assert RequiredAction.objects.count() == 1
    entry = WatchlistEntry.objects.get()
    assert (entry.first_flagged_on, entry.last_seen_on) == (DAY, DAY + dt.timedelta(days=1))


def test_a_still_flagged_loan_gets_todays_reasons(restricted_loan):
    watchlist_refresh(as_of=DAY)
    restricted_loan.guarantee = Guarantee.MORTGAGE
    restricted_loan.save()
    CollateralFactory(loan=restricted_loan, appraised_value=Decimal("1000.00"))
    (entry,) = watchlist_refresh(as_of=DAY)
    assert entry.reasons == ["low_coverage", "restricted_industry"]
    assert set(entry.details) == set(entry.reasons)
    assert RequiredAction.objects.count() == 1


def test_an_entry_is_cleared_when_no_rule_flags_the_loan_and_reopened_on_relapse(restricted_loan):
    watchlist_refresh(as_of=DAY)
    Loan.objects.filter(pk=restricted_loan.pk).update(days_past_due=3, overdue_principal=1, risk_class=2)
    assert watchlist_refresh(as_of=DAY + dt.timedelta(days=1)) == []
    cleared = WatchlistEntry.objects.get()
    assert cleared.cleared_on == DAY + dt.timedelta(days=1)
    Loan.objects.filter(pk=restricted_loan.pk).update(days_past_due=0, overdue_principal=0)
    (again,) = watchlist_refresh(as_of=DAY + dt.timedelta(days=40))
    assert again.pk != cleared.pk
    assert WatchlistEntry.objects.filter(cleared_on__isnull=True).count() == 1


def test_a_refresh_of_one_branch_leaves_other_branches_entries_alone(restricted_loan, other_branch):
    other = LoanFactory(borrower=BorrowerFactory(corporate=True, industry_code="C26", branch=other_branch))
    watchlist_refresh(as_of=DAY)
    Loan.objects.filter(pk=other.pk).update(days_past_due=5, overdue_principal=1, risk_class=2)
    watchlist_refresh(as_of=DAY, branch_ids={restricted_loan.branch_id})
    assert WatchlistEntry.objects.filter(cleared_on__isnull=True).count() == 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_daily_task_runs_on_a_real_worker_and_flags_once(restricted_loan):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert refresh_watchlist.delay(DAY.isoformat()).get(timeout=30) == 1
        assert refresh_watchlist.delay(DAY.isoformat()).get(timeout=30) == 1
    assert WatchlistEntry.objects.count() == 1
    assert RequiredAction.objects.count() == 1


def test_the_refresh_runs_after_the_contagion_and_before_the_required_actions(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    entry = schedule["watchlist-refresh"]
    assert entry["task"] in app.tasks

    def at(name):
        crontab = schedule[name]["schedule"]
        return (min(crontab.hour), min(crontab.minute))

    assert at("guarantee-contagion") < at("watchlist-refresh") < at("generate-required-actions")


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_give_one_entry_and_one_action_per_loan(branch, officer):
    IndustryPolicyFactory(code="C26", level=PolicyLevel.RESTRICTED)
    for _ in range(5):
        LoanFactory(
            borrower=BorrowerFactory(corporate=True, industry_code="C26", branch=branch, officer=officer)
        )
    run_together(lambda: watchlist_refresh(as_of=DAY), lambda: watchlist_refresh(as_of=DAY))
    assert WatchlistEntry.objects.count() == 5
    assert RequiredAction.objects.count() == 5
