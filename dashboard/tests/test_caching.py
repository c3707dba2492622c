"""Issue 15: today's figures are cached per branch, so a change in one branch recomputes that
branch only; the other apps' sections are cached for DASHBOARD_SECTIONS_TTL seconds."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.access import role_of
from accounts.models import Branch
from branch_ops.celery import app
from core.registry import DashboardScope
from dashboard import services as dashboard_services
from dashboard.selectors import ledger as ledger_selectors
from dashboard.selectors import ledger_figures_refresh, ledger_rows_cached, sections_cached, summary
from dashboard.services import ledger_figures_changed
from dashboard.tests.conftest import make_loan
from loans.models import Loan


def _scope(branch_ids, as_of, officer_id=None, user=None):
    return DashboardScope(user=user, branch_ids=frozenset(branch_ids), officer_id=officer_id, as_of=as_of)


@pytest.mark.django_db
def test_a_change_in_one_branch_leaves_the_other_branch_cached(
    frozen_today, branch, other_branch, officer, outsider
):
    ours = make_loan(branch=branch, officer=officer, balance="100.00")
    theirs = make_loan(branch=other_branch, officer=outsider, balance="200.00")
    both = _scope({branch.pk, other_branch.pk}, frozen_today)
    assert summary(both)["balance"] == Decimal("300.00")
    ours.balance, theirs.balance = Decimal("10.00"), Decimal("20.00")
    ours.save()
    theirs.save()  # written without the hook: its branch stays as cached
    ledger_figures_changed(loan_ids=[ours.pk], as_of=frozen_today)
    with CaptureQueriesContext(connection) as captured:
        rows = ledger_rows_cached(branch_ids=both.branch_ids)
    assert sum(row["balance"] for row in rows) == Decimal("210.00")
    # One GROUP BY, over the changed branch only.
    ledger = [query["sql"] for query in captured if "loans_loan" in query["sql"]]
    assert len(ledger) == 1 and f"IN ({branch.pk})" in ledger[0]


@pytest.mark.django_db
def test_an_officers_figures_come_from_the_branch_cache(frozen_today, branch, officer, other_officer):
    make_loan(branch=branch, officer=officer, balance="100.00")
    make_loan(branch=branch, officer=other_officer, balance="50.00")
    assert summary(_scope({branch.pk}, frozen_today))["balance"] == Decimal("150.00")
    with CaptureQueriesContext(connection) as captured:
        mine = summary(_scope({branch.pk}, frozen_today, officer_id=officer.pk))
    assert mine["balance"] == Decimal("100.00")
    assert not any("loans_loan" in query["sql"] for query in captured)


@pytest.mark.django_db
def test_sections_are_cached_per_role_and_scope(settings, frozen_today, branch, branch_head, officer):
    settings.DASHBOARD_SECTIONS_TTL = 60
    head = _scope({branch.pk}, frozen_today, user=branch_head)
    first = sections_cached(head)
    with CaptureQueriesContext(connection) as captured:
        again = sections_cached(head)
    assert [s["template"] for s in again] == [s["template"] for s in first]
    # Only the role is read (cached on the user already): no section query runs again.
    assert len(captured) == 0
    assert role_of(officer) != role_of(branch_head)
    with CaptureQueriesContext(connection) as captured:
        sections_cached(_scope({branch.pk}, frozen_today, officer_id=officer.pk, user=officer))
    assert len(captured) > 0  # another role and scope: computed


@pytest.mark.django_db
def test_sections_are_computed_every_time_when_the_ttl_is_zero(settings, frozen_today, branch, branch_head):
    settings.DASHBOARD_SECTIONS_TTL = 0
    head = _scope({branch.pk}, frozen_today + dt.timedelta(days=0), user=branch_head)
    sections_cached(head)
    with CaptureQueriesContext(connection) as captured:
        sections_cached(head)
    assert len(captured) > 0


def _loans_queries(captured) -> list[str]:
    return [query["sql"] for query in captured if "loans_loan" in query["sql"]]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_after_a_change_of_many_branches_a_real_worker_swaps_in_new_figures_and_no_load_computes_them(
    monkeypatch, frozen_today, branch, other_branch, officer, outsider
):
    ours = make_loan(branch=branch, officer=officer, balance="100.00")
    theirs = make_loan(branch=other_branch, officer=outsider, balance="200.00")
    both = {branch.pk, other_branch.pk}
    assert sum(row["balance"] for row in ledger_rows_cached(branch_ids=both)) == Decimal("300.00")
    Loan.objects.filter(pk__in=[ours.pk, theirs.pk]).update(balance=Decimal("10.00"))
    monkeypatch.setattr(dashboard_services, "LEDGER_DROP_UP_TO", 1)  # two branches are "many"
    monkeypatch.setattr(dashboard_services, "REFRESH_LEDGER_FIGURES_AFTER", 0)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            ledger_figures_changed(loan_ids=[ours.pk, theirs.pk], as_of=frozen_today)
        deadline = time.monotonic() + 30
        while True:
            with CaptureQueriesContext(connection) as captured:
                total = sum(row["balance"] for row in ledger_rows_cached(branch_ids=both))
            # Before the swap the figures from before the change, after it the new ones;
            # neither is ever computed by the load.
            assert not _loans_queries(captured)
            if total == Decimal("20.00"):
                break
            assert total == Decimal("300.00")
            assert time.monotonic() < deadline, "the worker did not swap in the new figures"
            time.sleep(0.1)


@pytest.mark.django_db
def test_a_refresh_keeps_the_change_of_a_branch_made_while_it_computed(
    monkeypatch, frozen_today, branch, other_branch, officer, outsider
):
    ours = make_loan(branch=branch, officer=officer, balance="100.00")
    make_loan(branch=other_branch, officer=outsider, balance="200.00")
    both = {branch.pk, other_branch.pk}
    ledger_rows_cached(branch_ids=both)
    computing = ledger_selectors.ledger_rows

    def a_repayment_meanwhile(**kwargs):
        rows = computing(**kwargs)
        Loan.objects.filter(pk=ours.pk).update(balance=Decimal("60.00"))
        ledger_figures_changed(loan_ids=[ours.pk], as_of=frozen_today)  # one branch: dropped
        return rows

    monkeypatch.setattr(ledger_selectors, "ledger_rows", a_repayment_meanwhile)
    # Every branch is swapped in (the city branch and the other sub-branch) except ours.
    assert ledger_figures_refresh() == Branch.objects.exclude(pk=branch.pk).count() == 2
    monkeypatch.setattr(ledger_selectors, "ledger_rows", computing)
    with CaptureQueriesContext(connection) as captured:
        rows = ledger_rows_cached(branch_ids=both)
    assert sum(row["balance"] for row in rows) == Decimal("260.00")
    (computed,) = _loans_queries(captured)
    assert f"IN ({branch.pk})" in computed
