"""Issue 15: the pages run the same number of queries at 1,000 and at 10,000 loans (and with
more branches and officers), whatever the scope; the data is made in SQL (generate_series),
as bench/run.py makes a province's million."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import BranchFactory, make_staff
from accounts.models import Role
from dashboard.selectors import ledger_version_bump
from dashboard.services import ledger_figures_changed, snapshot_build
from dashboard.tests.conftest import make_npl_loan
from loans.factories import loans_bulk_create
from loans.models import Borrower, Loan

MONTH_END = dt.date(2026, 10, 31)


def _pages(loan: Loan) -> dict[str, tuple[str, str]]:
    """name → (persona, URL)."""
    return {
        "city dashboard, today": ("city", reverse("dashboard")),
        "city dashboard, past month end": ("city", f"{reverse('dashboard')}?as_of={MONTH_END}"),
        "branch dashboard, today": ("head", reverse("dashboard")),
        "officer dashboard, today": ("officer", reverse("dashboard")),
        "summary API, city": ("city", reverse("api-dashboard-summary")),
        "summary API, month end": ("city", f"{reverse('api-dashboard-summary')}?as_of={MONTH_END}"),
        "loan list, filtered": (
            "head",
            f"{reverse('loan-list')}?officer={loan.officer_id}&product={loan.product}&bucket=current",
        ),
        "loan detail": ("head", reverse("loan-detail", args=[loan.loan_no])),
        "borrower page": ("head", reverse("borrower-detail", args=[loan.borrower_id])),
    }


def _counts(client_for, people, loan, *, changed: Loan) -> dict[str, int]:
    counts = {}
    for name, (who, url) in _pages(loan).items():
        client = client_for(people[who])
        assert client.get(url).status_code == 200, name  # warm the session and the cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, name
        counts[name] = len(captured)
    # Just after a repayment on one loan (its branch's figures are computed again).
    client = client_for(people["city"])
    client.get(reverse("dashboard"))
    ledger_figures_changed(loan_ids=[changed.pk], as_of=MONTH_END)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    counts["city dashboard, after a change"] = len(captured)
    # Just after an import of every loan (every branch's figures are computed again).
    ledger_version_bump()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    counts["city dashboard, after an import"] = len(captured)
    return counts


@pytest.mark.slow  # about 10 s on a quiet machine (the 10,000 loans' pages)
@pytest.mark.django_db
def test_page_queries_are_the_same_at_1k_and_10k_loans(frozen_today, client_for, city_head, branch):
    head = make_staff(role=Role.BRANCH_HEAD, branch=branch)
    officers = [make_staff(role=Role.OFFICER, branch=branch) for _ in range(3)]
    sibling = BranchFactory(code="430425", parent=branch.parent)
    officers += [make_staff(role=Role.OFFICER, branch=sibling) for _ in range(2)]
    loans_bulk_create(n=999, officers=officers, prefix="S1K")
    # The officer has a non-performing loan at both sizes: the zero-NPL run (one query) is
    # read only when there is none, which is the data, not its size.
    make_npl_loan(branch=branch, officer=officers[0])
    snapshot_build(as_of=MONTH_END)
    loan = Loan.objects.filter(branch=branch, officer=officers[0], bucket="current").first()
    people = {"city": city_head, "head": head, "officer": officers[0]}
    small = _counts(client_for, people, loan, changed=loan)

    for code in ("430426", "430427", "430428"):
        more = BranchFactory(code=code, parent=branch.parent)
        officers += [make_staff(role=Role.OFFICER, branch=more) for _ in range(3)]
    officers += [make_staff(role=Role.OFFICER, branch=branch) for _ in range(3)]
    loans_bulk_create(n=9_000, officers=officers, prefix="S10K")
    snapshot_build(as_of=MONTH_END)
    ledger_version_bump()
    assert Loan.objects.count() == 10_000 and Borrower.objects.count() == 10_000
    large = _counts(client_for, people, loan, changed=Loan.objects.filter(branch=sibling).first())
    assert large == small
