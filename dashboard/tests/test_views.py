import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import BranchFactory, make_staff
from accounts.models import Role
from dashboard.models import PortfolioSnapshot
from dashboard.tests.conftest import make_loan, make_npl_loan, snapshot

URL = "/dashboard/"


@pytest.mark.django_db
def test_branch_head_sees_headline_in_wan_with_change_and_run(
    frozen_today, client_for, branch_head, branch, officer
):
    make_loan(branch=branch, officer=officer, balance="21921000.00")
    snapshot(branch=branch, as_of=dt.date(2026, 1, 1), balance="20025000.00")
    for year in range(2016, 2026):
        snapshot(branch=branch, as_of=dt.date(year, 12, 31), balance="1000.00")
    response = client_for(branch_head).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2,192.10" in html and "+189.60" in html
    assert response.context["headline"]["zero_npl_years"] == 10
    assert 'id="dashboard-charts"' in html and "echarts.min.js" in html


@pytest.mark.django_db
def test_officer_sees_only_their_own_portfolio(frozen_today, client_for, officer, other_officer, branch):
    make_loan(branch=branch, officer=officer, balance="100000.00")
    make_loan(branch=branch, officer=other_officer, balance="700000.00")
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    assert response.context["headline"]["balance"] == 10  # 万元
    assert [row["name"] for row in response.context["by_officer"]] == [officer.profile.full_name]


@pytest.mark.django_db
def test_top_overdue_borrowers_are_masked_for_compliance(
    frozen_today, client_for, compliance_officer, branch, officer
):
    loan = make_npl_loan(branch=branch, officer=officer)
    response = client_for(compliance_officer).get(URL)
    row = response.context["overdue"][0]
    assert row["id_number"] != loan.borrower.id_number and "*" in row["id_number"]


@pytest.mark.django_db
def test_the_branch_head_also_sees_id_numbers_masked_on_the_dashboard(
    frozen_today, client_for, branch_head, branch, officer
):
    loan = make_npl_loan(branch=branch, officer=officer)
    response = client_for(branch_head).get(URL)
    row = response.context["overdue"][0]
    assert row["id_number"] != loan.borrower.id_number and "*" in row["id_number"]


@pytest.mark.django_db
def test_city_head_compares_branches_and_picks_one(
    frozen_today, client_for, city_head, branch, other_branch, officer, outsider
):
    make_loan(branch=branch, officer=officer, balance="100000.00")
    make_loan(branch=other_branch, officer=outsider, balance="300000.00")
    client = client_for(city_head)
    response = client.get(URL)
    assert [row["branch"].code for row in response.context["comparison"]] == [other_branch.code, branch.code]
    one = client.get(URL, {"branch": branch.code})
    assert one.context["headline"]["balance"] == 10 and one.context["comparison"] == []


@pytest.mark.django_db
def test_another_branch_is_404(frozen_today, client_for, branch_head, other_branch):
    assert client_for(branch_head).get(URL, {"branch": other_branch.code}).status_code == 404


@pytest.mark.django_db
def test_officer_cannot_pick_another_branch(frozen_today, client_for, officer, other_branch):
    assert client_for(officer).get(URL, {"branch": other_branch.code}).status_code == 404


@pytest.mark.django_db
def test_bad_date_and_date_before_data_answer_400_with_a_message(
    frozen_today, client_for, branch_head, branch
):
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="1.00")
    client = client_for(branch_head)
    bad = client.get(URL, {"as_of": "yesterday"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.context["error"]
    early = client.get(URL, {"as_of": "2019-01-31"})
    assert early.status_code == 400 and "2019-01-31" in early.context["error"]


def _grow(branch, n):
    officer = make_staff(role=Role.OFFICER, branch=branch)
    for _ in range(n):
        make_loan(branch=branch, officer=officer)
        make_npl_loan(branch=branch, officer=officer)
    for month in (1, 6, 10):
        snapshot(branch=branch, officer=officer, as_of=dt.date(2026, month, 28), balance="1000.00")


@pytest.mark.django_db
def test_dashboard_query_count_is_constant_as_data_grows(frozen_today, client_for, city_head, branch):
    # Every app's dashboard section adds its own queries; what must hold is that the count
    # does not grow with the number of branches, officers and loans.
    client = client_for(city_head)
    _grow(branch, 1)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    with CaptureQueriesContext(connection) as small_past:
        client.get(URL, {"as_of": "2026-10-31"})
    for code in ("430499", "430498", "430497"):
        _grow(BranchFactory(code=code, parent=branch.parent), 4)
    _grow(branch, 4)
    client.get(URL)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert len(response.context["comparison"]) == 4
    with CaptureQueriesContext(connection) as large_past:
        client.get(URL, {"as_of": "2026-10-31"})
    assert len(large) == len(small)
    assert len(large_past) == len(small_past)


@pytest.mark.django_db
def test_branch_head_builds_a_snapshot_and_officer_may_not(
    frozen_today, client_for, branch_head, officer, branch
):
    make_loan(branch=branch, officer=officer)
    assert client_for(officer).get(reverse("dashboard-snapshots")).status_code == 403
    response = client_for(branch_head).post(reverse("dashboard-snapshot-build"), {"as_of": "2026-10-31"})
    assert response.status_code == 302
    assert PortfolioSnapshot.objects.filter(as_of=dt.date(2026, 10, 31), branch=branch).count() == 1


@pytest.mark.django_db
def test_branch_head_uploads_history(frozen_today, client_for, branch_head, branch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"as_of,branch,balance,npl_balance,overdue_balance,loan_count\n2025-12-31,430424,1000.00,0,0,3\n"
    client = client_for(branch_head)
    client.post(reverse("dashboard-snapshot-import"), {"file": SimpleUploadedFile("h.csv", data)})
    assert PortfolioSnapshot.objects.get().balance == 1000
    page = client.get(reverse("dashboard-snapshots"))
    assert page.status_code == 200 and "2025-12-31" in page.content.decode()
