import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from compliance.models import Violation, ViolationSource, ViolationStatus
from compliance.services import violation_raise
from dashboard.selectors import summary
from dashboard.selectors.scope import dashboard_scope, today
from dashboard.tests.conftest import make_loan, make_npl_loan
from loans.domain import RiskClass
from loans.models import ChangeStatus
from loans.services import classification_propose
from post_loan.factories import RequiredActionFactory
from post_loan.models import ActionStatus, ReviewStatus


def penalties(staff, count, *, on=dt.date(2026, 11, 1)):
    return [
        violation_raise(
            staff=staff, occurred_on=on, rule=f"规定动作逾期{n}", source=ViolationSource.MISSED_ACTION
        )
        for n in range(count)
    ]


def test_approval_list_pages_fifty_rows_at_a_time(client_for, branch_head, officer):
    penalties(officer, 55)
    client = client_for(branch_head)
    first = client.get(reverse("approvals"), {"kind": "penalty"})
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("approvals"), {"kind": "penalty", "page": 2})
    assert len(second.context["rows"]) == 5


def test_approval_list_filters_by_officer_and_date(client_for, branch_head, officer, other_officer):
    penalties(officer, 2, on=dt.date(2026, 10, 1))
    penalties(officer, 3, on=dt.date(2026, 11, 10))
    penalties(other_officer, 4, on=dt.date(2026, 11, 10))
    response = client_for(branch_head).get(
        reverse("approvals"),
        {"kind": "penalty", "officer": officer.pk, "from": "2026-11-01", "to": "2026-11-30"},
    )
    assert len(response.context["rows"]) == 3


def test_bulk_approval_decides_each_ticked_row_through_its_service(client_for, branch_head, officer):
    rows = penalties(officer, 3)
    response = client_for(branch_head).post(
        reverse("approvals"),
        {"kind": "penalty", "ids": [rows[0].pk, rows[1].pk], "decision": "approve", "reason": "同意"},
    )
    assert response.status_code == 302
    statuses = dict(Violation.objects.values_list("pk", "status"))
    assert statuses[rows[0].pk] == statuses[rows[1].pk] == ViolationStatus.APPROVED
    assert statuses[rows[2].pk] == ViolationStatus.PENDING
    assert Violation.objects.get(pk=rows[0].pk).approved_by == branch_head


def test_bulk_approval_reports_a_refused_row_and_lets_the_others_through(
    client_for, branch_head, officer, branch
):
    own = make_loan(branch=branch, officer=officer, risk_class=RiskClass.SPECIAL_MENTION)
    other = make_loan(branch=branch, officer=officer, risk_class=RiskClass.SPECIAL_MENTION)
    mine = classification_propose(loan=own, to_class=1, reason="已恢复", proposed_by=branch_head)
    theirs = classification_propose(loan=other, to_class=1, reason="已恢复", proposed_by=officer)
    response = client_for(branch_head).post(
        reverse("approvals"),
        {"kind": "class", "ids": [mine.pk, theirs.pk], "decision": "approve", "reason": "经核实"},
        follow=True,
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == ChangeStatus.PENDING  # maker-checker: not their own proposal
    assert theirs.status == ChangeStatus.APPROVED
    assert theirs.decision_note == "经核实"
    assert any(own.loan_no in str(message) for message in response.context["messages"])


def test_bulk_approval_ignores_rows_outside_the_users_scope(client_for, branch_head, outsider):
    foreign = penalties(outsider, 1)[0]
    client_for(branch_head).post(
        reverse("approvals"), {"kind": "penalty", "ids": [foreign.pk], "decision": "approve"}
    )
    foreign.refresh_from_db()
    assert foreign.status == ViolationStatus.PENDING


def test_officer_gets_403_on_the_approval_list(client_for, officer):
    assert client_for(officer).get(reverse("approvals")).status_code == 403


def test_compliance_officer_is_offered_only_penalties_to_approve(client_for, compliance_officer):
    response = client_for(compliance_officer).get(reverse("approvals"))
    assert [kind["key"] for kind in response.context["kinds"]] == ["penalty"]
    denied = client_for(compliance_officer).post(reverse("approvals"), {"kind": "class", "ids": [1]})
    assert denied.status_code == 403


def test_bulk_approval_needs_the_csrf_token(branch_head, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(branch_head)
    row = penalties(officer, 1)[0]
    response = client.post(reverse("approvals"), {"kind": "penalty", "ids": [row.pk], "decision": "approve"})
    assert response.status_code == 403


@pytest.mark.parametrize("count", [3, 60])
def test_approval_list_runs_a_constant_number_of_queries(
    client_for, branch_head, officer, django_assert_max_num_queries, count
):
    penalties(officer, count)
    client = client_for(branch_head)
    client.get(reverse("approvals"))
    with django_assert_max_num_queries(16):
        client.get(reverse("approvals"), {"kind": "penalty"})


def test_head_home_shows_the_dashboard_figures_first_and_no_menu_tiles(
    client_for, branch_head, officer, branch
):
    make_loan(branch=branch, officer=officer, balance="300000.00")
    make_npl_loan(branch=branch, officer=officer, balance="50000.00")
    response = client_for(branch_head).get(reverse("home"))
    body = response.content.decode()
    figures = summary(dashboard_scope(branch_head, as_of=today()))
    panel = response.context["panels"][0]["context"]
    assert panel["balance"] == figures["balance"]
    assert panel["npl_balance"] == figures["npl_balance"]
    assert panel["overdue_balance"] == figures["overdue_balance"]
    assert body.index('data-testid="home-figures"') < body.index('data-testid="home-approvals"')
    assert 'data-testid="home-links"' not in body


def test_head_home_counts_what_waits_for_approval(client_for, branch_head, officer):
    penalties(officer, 4)
    response = client_for(branch_head).get(reverse("home"))
    panel = next(p["context"] for p in response.context["panels"] if "kinds" in (p["context"] or {}))
    assert {kind["key"]: kind["count"] for kind in panel["kinds"]}["penalty"] == 4


@pytest.mark.parametrize("count", [2, 40])
def test_head_home_runs_a_constant_number_of_queries(
    client_for, branch_head, officer, branch, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_loan(branch=branch, officer=officer)
    penalties(officer, count)
    client = client_for(branch_head)
    client.get(reverse("home"))
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))


def test_bulk_review_accepts_required_actions_and_the_home_panel_links_to_it(
    client_for, branch_head, officer, branch
):
    actions = [
        RequiredActionFactory(
            loan=make_loan(branch=branch, officer=officer),
            status=ActionStatus.DONE,
            completed_on=dt.date(2026, 11, 20),
            completed_by=officer,
            findings="经营正常",
        )
        for _ in range(2)
    ]
    client = client_for(branch_head)
    home = client.get(reverse("home")).content.decode()
    assert f"{reverse('approvals')}?kind=action" in home
    client.post(
        reverse("approvals"),
        {"kind": "action", "ids": [a.pk for a in actions], "decision": "approve", "reason": "同意"},
    )
    for action in actions:
        action.refresh_from_db()
        assert action.review_status == ReviewStatus.ACCEPTED


def test_home_of_an_administrator_without_branches_still_opens(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x-Strong-Pass-1")
    client.force_login(admin)
    assert client.get(reverse("home")).status_code == 200
