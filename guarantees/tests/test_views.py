from django.urls import reverse

from core.registry import DashboardScope
from guarantees.dashboard_sections import report_tables
from guarantees.tests.conftest import DAY, guarantees


def _pair(firm):
    a, b = firm("甲公司", days_past_due=10), firm("乙公司")
    guarantees(a, b)
    guarantees(b, a)
    return a, b


def test_borrower_page_shows_its_mutual_guarantee_with_overdue_flag(client, officer, firm):
    a, _b = _pair(firm)
    client.force_login(officer)
    page = client.get(reverse("borrower-detail", args=[a.pk])).content.decode()
    assert 'data-testid="guarantee-circle"' in page
    assert "乙公司" in page and "互保" in page and "成员逾期" in page
    assert a.id_number not in page  # masked for the officer by {% personal %}


def test_head_sees_the_branch_circle_list_and_an_officer_does_not(client, officer, branch_head, firm):
    _pair(firm)
    client.force_login(officer)
    assert client.get(reverse("guarantee-circles")).status_code == 403
    client.force_login(branch_head)
    page = client.get(reverse("guarantee-circles")).content.decode()
    assert page.count('data-testid="guarantee-circle"') == 1


def test_head_runs_the_contagion_check_on_demand(client, branch_head, firm):
    _pair(firm)
    client.force_login(branch_head)
    client.post(reverse("guarantee-contagion-run"))
    page = client.get(reverse("guarantee-circles")).content.decode()
    assert page.count('data-testid="contagion-flag"') == 2


def test_api_lists_circles_for_the_callers_branches(client, branch_head, outsider, firm):
    _pair(firm)
    client.force_login(branch_head)
    assert len(client.get(reverse("api-guarantee-circles")).json()) == 1
    client.force_login(outsider)
    assert client.get(reverse("api-guarantee-circles")).json() == []


def test_monthly_report_lists_circles_by_balance(branch_head, branch, firm):
    _pair(firm)
    scope = DashboardScope(user=branch_head, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=DAY)
    (table,) = report_tables(scope)
    assert table.rows[0][0] == "Mutual guarantee"
    assert table.rows[0][3] == "甲公司"
