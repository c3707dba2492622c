import datetime as dt

import pytest

from dashboard.tests.conftest import make_loan, make_npl_loan, snapshot

URL = "/api/v1/dashboard/summary/"


@pytest.mark.django_db
def test_summary_has_the_documented_shape_in_yuan(frozen_today, client_for, branch_head, branch, officer):
    make_loan(branch=branch, officer=officer, balance="300000.00")
    make_npl_loan(branch=branch, officer=officer, balance="100000.00")
    snapshot(branch=branch, as_of=dt.date(2026, 1, 1), balance="250000.00")
    response = client_for(branch_head).get(URL, {"as_of": "2026-11-29", "branch": branch.code})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "as_of", "branch", "balance", "balance_at_year_start", "change_since_year_start", "npl_balance",
        "npl_ratio", "zero_npl_years", "overdue_balance", "by_class", "by_bucket",
    }  # fmt: skip
    assert body["as_of"] == "2026-11-29" and body["branch"] == branch.code
    assert body["balance"] == "400000.00" and body["balance_at_year_start"] == "250000.00"
    assert body["change_since_year_start"] == "150000.00" and body["npl_balance"] == "100000.00"
    assert body["npl_ratio"] == "0.2500" and body["overdue_balance"] == "100000.00"
    assert body["by_class"]["3"] == "100000.00" and body["by_bucket"]["91-180"] == "100000.00"
    assert body["zero_npl_years"] == 0


@pytest.mark.django_db
def test_summary_for_a_past_month_end(frozen_today, client_for, branch_head, branch):
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="500.00")
    body = client_for(branch_head).get(URL, {"as_of": "2026-10-31"}).json()
    assert body["balance"] == "500.00" and body["balance_at_year_start"] is None


@pytest.mark.django_db
def test_summary_a_malformed_date_answers_400(frozen_today, client_for, branch_head):
    response = client_for(branch_head).get(URL, {"as_of": "2026-02-30"})
    assert response.status_code == 400 and "as_of" in response.json()


@pytest.mark.django_db
def test_summary_a_future_date_has_no_figures_and_answers_404(frozen_today, client_for, branch_head):
    response = client_for(branch_head).get(URL, {"as_of": "2027-01-01"})
    assert response.status_code == 404 and "将来" in response.json()["detail"]


@pytest.mark.django_db
def test_summary_a_branch_code_with_a_nul_answers_400(frozen_today, client_for, branch_head):
    assert client_for(branch_head).get(URL, {"branch": "01\x00"}).status_code == 400


@pytest.mark.django_db
def test_summary_date_before_any_data_is_404_with_a_message(frozen_today, client_for, branch_head, branch):
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="500.00")
    response = client_for(branch_head).get(URL, {"as_of": "2019-12-31"})
    assert response.status_code == 404 and "没有数据" in response.json()["detail"]


@pytest.mark.django_db
def test_summary_of_a_branch_not_yours_is_404(frozen_today, client_for, branch_head, other_branch):
    assert client_for(branch_head).get(URL, {"branch": other_branch.code}).status_code == 404


@pytest.mark.django_db
def test_summary_for_an_officer_is_their_own_portfolio(
    frozen_today, client_for, officer, other_officer, branch
):
    make_loan(branch=branch, officer=officer, balance="100.00")
    make_loan(branch=branch, officer=other_officer, balance="900.00")
    assert client_for(officer).get(URL).json()["balance"] == "100.00"


@pytest.mark.django_db
def test_summary_needs_authentication(client):
    assert client.get(URL).status_code == 401


@pytest.mark.django_db
def test_summary_names_the_one_branch_in_view(frozen_today, client_for, officer, branch):
    assert client_for(officer).get(URL).json()["branch"] == branch.code
