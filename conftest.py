"""Fixtures shared by every app's tests: personas for permission tests.

- ``branch``: a county sub-branch under ``city_branch``; ``other_branch`` is a sibling.
- ``officer`` and ``other_officer``: loan officers of ``branch``.
- ``branch_head`` and ``compliance_officer`` of ``branch``; ``city_head`` of ``city_branch``.
- ``outsider``: a loan officer of ``other_branch``.
"""

import os

import pytest

from accounts.factories import BranchFactory, make_staff
from accounts.models import Role
from core.queue import coalesced_task_started
from dashboard.selectors import ledger_version_bump
from dashboard.services import REFRESH_LEDGER_FIGURES_TASK


def pytest_collection_modifyitems(config, items):
    if os.environ.get("REDIS_URL"):
        return
    skip = pytest.mark.skip(reason="needs the real Redis: set REDIS_URL (CI always does)")
    for item in items:
        if "redis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_ledger_figures():
    """No test sees figures cached by an earlier one: the test database numbers its branches
    from 1 again on every run, while the Redis cache outlives the run, so a cached figure
    keyed by branch ids could belong to another run's data. The home page of every branch
    head shows the figures now, so nearly every page walk fills that cache. Nor does a test
    inherit an earlier test's pending refresh of those figures (its task may be left in the
    broker, unread, and would hold back the next one for ten minutes)."""
    ledger_version_bump()
    coalesced_task_started(REFRESH_LEDGER_FIGURES_TASK)


@pytest.fixture
def city_branch(db):
    return BranchFactory(code="4304", name="衡阳市分行")


@pytest.fixture
def branch(city_branch):
    return BranchFactory(code="430424", name="衡东支行", parent=city_branch)


@pytest.fixture
def other_branch(city_branch):
    return BranchFactory(code="430426", name="祁东支行", parent=city_branch)


@pytest.fixture
def officer(branch):
    return make_staff(role=Role.OFFICER, branch=branch, username="officer")


@pytest.fixture
def other_officer(branch):
    return make_staff(role=Role.OFFICER, branch=branch, username="other_officer")


@pytest.fixture
def branch_head(branch):
    return make_staff(role=Role.BRANCH_HEAD, branch=branch, username="head")


@pytest.fixture
def compliance_officer(branch):
    return make_staff(role=Role.COMPLIANCE, branch=branch, username="compliance")


@pytest.fixture
def city_head(city_branch):
    return make_staff(role=Role.BRANCH_HEAD, branch=city_branch, username="city")


@pytest.fixture
def outsider(other_branch):
    return make_staff(role=Role.OFFICER, branch=other_branch, username="outsider")


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(officer).get(...)``."""

    def login(user):
        client.force_login(user)
        return client

    return login
