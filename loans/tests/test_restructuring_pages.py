"""Restructuring pages and API: who sees and does what (officers their own loans, heads of
the loan's branch decide)."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.registry import DashboardScope
from loans.dashboard_sections import report_tables
from loans.factories import BorrowerFactory, LoanFactory, RestructuringFactory
from loans.models import Restructuring, RestructuringStatus

pytestmark = pytest.mark.django_db


def loan_of(user, branch, **kwargs):
    return LoanFactory(borrower=BorrowerFactory(branch=branch, officer=user), **kwargs)


def _api(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_officer_proposes_from_the_loan_page(client_for, officer, branch):
    loan = loan_of(officer, branch)
    client = client_for(officer)
    page = client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    assert reverse("restructuring-create", args=[loan.loan_no]) in page
    response = client.post(
        reverse("restructuring-create", args=[loan.loan_no]),
        {
            "kinds": ["extension", "lower_payment"],
            "difficulty": "养殖场受灾，收入下降",
            "new_matures_on": "2031-06-15",
            "new_annual_rate": "4.35",
            "new_repayment_method": "equal_instalment",
            "new_repayment_day": "15",
        },
    )
    assert response.status_code == 302
    assert Restructuring.objects.get(loan=loan).kinds == ["extension", "lower_payment"]


def test_a_bad_proposal_shows_the_error_and_writes_nothing(client_for, officer, branch):
    loan = loan_of(officer, branch)
    response = client_for(officer).post(
        reverse("restructuring-create", args=[loan.loan_no]),
        {
            "kinds": ["extension"],
            "difficulty": "困难",
            "new_matures_on": "2027-01-01",
            "new_annual_rate": "4.35",
            "new_repayment_method": "equal_instalment",
            "new_repayment_day": "15",
        },
    )
    assert response.status_code == 200
    assert "展期后的到期日须晚于 2028-06-15" in response.content.decode()
    assert not Restructuring.objects.exists()


def test_another_officers_loan_answers_404(client_for, other_officer, officer, branch):
    loan = loan_of(officer, branch)
    response = client_for(other_officer).get(reverse("restructuring-create", args=[loan.loan_no]))
    assert response.status_code == 404


def test_only_branch_heads_see_the_queue_and_decide(client_for, officer, branch_head, branch):
    loan = loan_of(officer, branch)
    proposal = RestructuringFactory(loan=loan)
    assert client_for(officer).get(reverse("restructuring-pending")).status_code == 403
    client = client_for(branch_head)
    assert loan.loan_no in client.get(reverse("restructuring-pending")).content.decode()
    response = client.post(reverse("restructuring-decide", args=[proposal.pk]), {"decision": "approve"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RestructuringStatus.APPROVED
    loan.refresh_from_db()
    assert loan.restructured and loan.matures_on == dt.date(2030, 6, 15)


def test_the_api_lists_a_loans_restructurings_and_the_flag(officer, other_officer, branch):
    loan = loan_of(officer, branch)
    RestructuringFactory(loan=loan)
    body = _api(officer).get(f"/api/v1/loans/{loan.loan_no}/restructurings/").json()
    assert body[0]["kinds"] == ["extension"] and body[0]["status"] == "proposed"
    assert _api(officer).get(f"/api/v1/loans/{loan.loan_no}/").json()["restructured"] is False
    assert _api(other_officer).get(f"/api/v1/loans/{loan.loan_no}/restructurings/").status_code == 404


def test_the_dashboard_and_the_monthly_report_count_restructured_loans(
    client_for, officer, branch_head, branch
):
    loan_of(officer, branch, restructured=True, class_floor=2, risk_class=2)
    loan_of(officer, branch, restructured=True, class_floor=3, risk_class=3)
    loan_of(officer, branch)
    page = client_for(branch_head).get(reverse("dashboard")).content.decode()
    assert 'data-testid="dashboard-restructured"' in page
    scope = DashboardScope(user=branch_head, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=None)
    (table,) = report_tables(scope)
    assert [row[1] for row in table.rows] == [2, 1, 0]
