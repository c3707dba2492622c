"""Issue 15: today's figures are cached per branch, so a change in one branch recomputes that
branch only; the other apps' sections are cached for DASHBOARD_SECTIONS_TTL seconds."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.access import role_of
from branch_ops.celery import app
from core.registry import DashboardScope
from dashboard import services as dashboard_services
from dashboard.selectors import ledger_rows_cached, sections_cached, summary
from dashboard.selectors.ledger import _branch_versions, _rows_key
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


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_after_a_ledger_change_a_real_worker_computes_the_figures_before_the_next_dashboard(
    monkeypatch, frozen_today, branch, other_branch, officer, outsider
):
    ours = make_loan(branch=branch, officer=officer, balance="100.00")
    make_loan(branch=other_branch, officer=outsider, balance="200.00")
    both = {branch.pk, other_branch.pk}
    assert sum(row["balance"] for row in ledger_rows_cached(branch_ids=both)) == Decimal("300.00")
    Loan.objects.filter(pk=ours.pk).update(balance=Decimal("10.00"))
    monkeypatch.setattr(dashboard_services, "WARM_LEDGER_FIGURES_AFTER", 0)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            ledger_figures_changed(loan_ids=[ours.pk], as_of=frozen_today)

        def warmed():
            version = _branch_versions([branch.pk])[branch.pk]
            return cache.get(_rows_key(branch.pk, version)) is not None

        deadline = time.monotonic() + 30
        while not warmed():
            assert time.monotonic() < deadline, "the worker did not compute the changed branch"
            time.sleep(0.1)
    with CaptureQueriesContext(connection) as captured:
        rows = ledger_rows_cached(branch_ids=both)
    assert sum(row["balance"] for row in rows) == Decimal("210.00")
    assert not any("loans_loan" in query["sql"] for query in captured)
