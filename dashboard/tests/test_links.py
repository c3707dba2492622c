import pytest

from accounts.models import Role
from dashboard.tests.conftest import make_loan, make_npl_loan
from loans.domain import Bucket

URL = "/dashboard/"


def _loan_numbers(response):
    return {loan.loan_no for loan in response.context["page"]}


@pytest.mark.django_db
def test_npl_figure_drills_down_to_exactly_the_non_performing_loans(
    frozen_today, client_for, branch_head, officer, branch
):
    bad = make_npl_loan(branch=branch, officer=officer)
    make_loan(branch=branch, officer=officer)
    client = client_for(branch_head)
    headline = client.get(URL).context["headline"]
    assert _loan_numbers(client.get(headline["npl_url"])) == {bad.loan_no}


@pytest.mark.django_db
def test_overdue_figure_drills_down_to_every_overdue_loan(
    frozen_today, client_for, branch_head, officer, branch
):
    late = make_loan(branch=branch, officer=officer, days_past_due=12, bucket=Bucket.D1_30, risk_class=2)
    bad = make_npl_loan(branch=branch, officer=officer)
    make_loan(branch=branch, officer=officer)
    client = client_for(branch_head)
    headline = client.get(URL).context["headline"]
    assert _loan_numbers(client.get(headline["overdue_url"])) == {late.loan_no, bad.loan_no}


@pytest.mark.django_db
def test_class_chart_links_filter_by_that_class(frozen_today, client_for, branch_head, officer, branch):
    watch = make_loan(branch=branch, officer=officer, risk_class=2)
    make_loan(branch=branch, officer=officer)
    client = client_for(branch_head)
    classes = client.get(URL).context["charts"]["classes"]
    special_mention = next(item for item in classes if item["key"] == "2")
    assert _loan_numbers(client.get(special_mention["url"])) == {watch.loan_no}


@pytest.mark.django_db
def test_city_head_drill_down_from_one_branch_stays_in_that_branch(
    frozen_today, client_for, city_head, officer, outsider, branch, other_branch
):
    ours = make_npl_loan(branch=branch, officer=officer)
    make_npl_loan(branch=other_branch, officer=outsider)
    client = client_for(city_head)
    headline = client.get(URL, {"branch": branch.code}).context["headline"]
    assert _loan_numbers(client.get(headline["npl_url"])) == {ours.loan_no}
    assert city_head.profile.role == Role.BRANCH_HEAD
