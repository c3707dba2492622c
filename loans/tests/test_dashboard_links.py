"""A hole the branch head's journey found: the dashboard links its NPL figure to
``/loans/?class=3&class=4&class=5`` and its overdue figure to every overdue bucket, but the
loan list read one ``risk_class`` and one ``bucket``: the NPL link listed every loan and the
overdue link only the loans 360+ days late. The list behind a figure must add up to it."""

import pytest

from loans.factories import BorrowerFactory, LoanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(branch, officer):
    def loan(**kwargs):
        return LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer), **kwargs)

    return {
        "performing": loan(),
        "watch": loan(risk_class=2, days_past_due=20, bucket="1-30"),
        "substandard": loan(risk_class=3, days_past_due=100, bucket="91-180"),
        "loss": loan(risk_class=5, days_past_due=400, bucket="360+"),
    }


def _listed(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {loan.loan_no for loan in response.context["page"]}


def test_the_npl_link_of_the_dashboard_lists_exactly_the_non_performing_loans(
    client_for, branch_head, portfolio
):
    listed = _listed(client_for(branch_head), "/loans/?class=3&class=4&class=5")
    assert listed == {portfolio["substandard"].loan_no, portfolio["loss"].loan_no}


def test_the_overdue_link_lists_every_overdue_bucket(client_for, branch_head, portfolio):
    url = "/loans/?bucket=1-30&bucket=31-60&bucket=61-90&bucket=91-180&bucket=360%2B"
    listed = _listed(client_for(branch_head), url)
    assert listed == {portfolio[key].loan_no for key in ("watch", "substandard", "loss")}


def test_one_class_by_either_name_and_nonsense_values_are_handled(client_for, branch_head, portfolio):
    client = client_for(branch_head)
    assert _listed(client, "/loans/?class=2") == {portfolio["watch"].loan_no}
    assert _listed(client, "/loans/?risk_class=2") == {portfolio["watch"].loan_no}
    assert _listed(client, "/loans/?class=3&class=x&class=9") == {portfolio["substandard"].loan_no}


def test_the_export_follows_the_same_filters(client_for, branch_head, portfolio):
    response = client_for(branch_head).get("/loans/export.xlsx?class=3&class=4&class=5")
    assert response.status_code == 200
