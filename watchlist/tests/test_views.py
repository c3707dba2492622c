from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.registry import DashboardScope
from loans.factories import BorrowerFactory, LoanFactory
from watchlist.dashboard_sections import report_tables, section_context
from watchlist.factories import WatchlistEntryFactory
from watchlist.tests.conftest import DAY


def _entry(branch, officer, **kwargs):
    loan = LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    return WatchlistEntryFactory(loan=loan, **kwargs)


def _rows(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("watchlist") + query)
    assert response.status_code == 200
    return response.content.decode().count('data-testid="watchlist-entry"')


def test_an_officer_sees_only_their_own_loans_and_the_head_the_branch(
    client, branch, officer, other_officer, branch_head, compliance_officer, outsider
):
    _entry(branch, officer)
    _entry(branch, other_officer)
    assert _rows(client, officer) == 1
    assert _rows(client, branch_head) == 2
    assert _rows(client, compliance_officer) == 2
    assert _rows(client, outsider) == 0


def test_the_list_filters_by_reason_and_shows_reasons_masked_ids_and_the_action(client, branch, officer):
    entry = _entry(branch, officer)
    _entry(branch, officer, reasons=["open_signal"], details={"open_signal": "Litigation, raised 2026-11-28"})
    assert _rows(client, officer, "?reason=open_signal") == 1
    page = client.get(reverse("watchlist")).content.decode()
    assert "限制类行业" in page and "C26 化学原料" in page
    assert entry.loan.borrower.id_number not in page
    assert entry.loan.borrower.id_number[-4:] in page


def test_an_unknown_reason_is_refused_with_a_message_and_lists_everything(client, branch, officer):
    _entry(branch, officer)
    client.force_login(officer)
    response = client.get(reverse("watchlist") + "?reason=nonsense")
    assert response.status_code == 200
    assert 'data-testid="filter-error"' in response.content.decode()
    assert response.content.decode().count('data-testid="watchlist-entry"') == 1


def test_the_list_runs_the_same_number_of_queries_for_more_entries(client, branch, officer):
    _entry(branch, officer)
    client.force_login(officer)
    client.get(reverse("watchlist"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("watchlist"))
        return len(captured.captured_queries)

    few = queries()
    for _ in range(6):
        _entry(branch, officer)
    assert queries() == few


def test_only_the_head_runs_the_check_now(client, branch, officer, branch_head):
    client.force_login(officer)
    assert client.post(reverse("watchlist-run")).status_code == 403
    client.force_login(branch_head)
    assert client.post(reverse("watchlist-run")).status_code == 302


def test_the_head_sees_the_count_on_the_home_page_and_an_officer_does_not(
    client, branch, officer, branch_head
):
    _entry(branch, officer)
    client.force_login(branch_head)
    assert 'data-testid="watchlist-panel"' in client.get(reverse("home")).content.decode()
    client.force_login(officer)
    assert 'data-testid="watchlist-panel"' not in client.get(reverse("home")).content.decode()


def test_the_api_lists_the_callers_entries_with_masked_ids(
    client, branch, officer, other_officer, branch_head
):
    mine = _entry(branch, officer)
    _entry(branch, other_officer, reasons=["open_signal"], details={"open_signal": "x"})
    client.force_login(officer)
    body = client.get(reverse("api-watchlist")).json()
    assert [row["loan_no"] for row in body["results"]] == [mine.loan.loan_no]
    assert body["results"][0]["borrower_id_number"] != mine.loan.borrower.id_number
    assert body["results"][0]["reasons"] == ["restricted_industry"]
    client.force_login(branch_head)
    assert client.get(reverse("api-watchlist") + "?reason=open_signal").json()["count"] == 1
    assert client.get(reverse("api-watchlist") + "?reason=bad").status_code == 400


def test_dashboard_and_monthly_report_count_the_entries_by_reason(branch, officer, branch_head):
    _entry(branch, officer)
    _entry(branch, officer, reasons=["open_signal", "restricted_industry"], details={})
    _entry(branch, officer, cleared_on=DAY)
    scope = DashboardScope(user=branch_head, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=DAY)
    figures = section_context(scope)["figures"]
    assert figures["total"] == 2
    counts = {row["code"]: row["count"] for row in figures["reasons"]}
    assert counts["restricted_industry"] == 2 and counts["open_signal"] == 1
    by_reason, listed = report_tables(scope)
    assert by_reason.rows[-1][:2] == ["Total", 2]
    assert len(listed.rows) == 2
