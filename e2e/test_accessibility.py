"""Accessibility: axe-core (vendored in e2e/vendor, no network) on the main pages, as a loan
officer and as the branch head sees them, with no serious or critical violation."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_staff
from accounts.models import Role
from e2e.conftest import log_in, with_password
from loan_collections.factories import CollectionCaseFactory
from loans.factories import BorrowerFactory, LoanFactory
from post_loan.factories import RequiredActionFactory

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def page(browser, live_server):
    """A desktop page whose Content-Security-Policy lets the test inject axe (the app's own
    pages still run under it)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def _violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def test_main_pages_have_no_serious_accessibility_violations_for_officer_and_head(page, branch):
    officer = with_password(make_staff(role=Role.OFFICER, branch=branch, username="officer1"))
    head = with_password(make_staff(role=Role.BRANCH_HEAD, branch=branch, username="head"))
    borrower = BorrowerFactory(branch=branch, officer=officer, name="欠款人王五")
    loan = LoanFactory(
        borrower=borrower, days_past_due=15, bucket="1-30", risk_class=2, overdue_principal=Decimal("2500.00")
    )
    RequiredActionFactory(loan=loan, due_on=timezone.localdate())
    case = CollectionCaseFactory(borrower=borrower, opened_on=timezone.localdate() - dt.timedelta(days=5))
    pages = [
        reverse("home"),
        reverse("dashboard"),
        reverse("loan-list"),
        reverse("loan-detail", args=[loan.loan_no]),
        reverse("actions-worklist"),
        reverse("collections-worklist"),
        reverse("collections-case", args=[case.pk]),
        reverse("compliance-my-record"),
    ]
    found = {}
    for user in (officer, head):
        page.context.clear_cookies()
        log_in(page, user)
        for url in pages:
            page.goto(f"{page.base_url}{url}")
            violations = _violations(page)
            if violations:
                found[f"{user.username} {url}"] = violations
    assert not found, found
