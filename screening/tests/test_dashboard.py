import datetime as dt

from accounts.access import visible_branch_ids
from core.registry import DashboardScope
from post_loan.dashboard_sections import DASHBOARD_SECTIONS as ACTION_SECTIONS
from screening.dashboard_sections import DASHBOARD_SECTIONS as SCREENING_SECTIONS


def test_dashboard_sections_render_their_counts_and_report_tables(branch_head, officer, loan_of):
    loan_of(officer)
    scope = DashboardScope(
        user=branch_head,
        branch_ids=visible_branch_ids(branch_head),
        officer_id=None,
        as_of=dt.date(2026, 11, 20),
    )
    screening = SCREENING_SECTIONS[0].context(scope)
    assert screening["face_signing_gaps"] == 1 and screening["project_flags"] == 0
    actions = ACTION_SECTIONS[0].context(scope)
    assert actions["late_count"] == 0 and actions["late_url"].endswith("?status=late")
    for section in (*ACTION_SECTIONS, *SCREENING_SECTIONS):
        assert all(table.headers for table in section.report_tables(scope))


def test_officer_scope_hides_project_flags(officer):
    scope = DashboardScope(
        user=officer,
        branch_ids=visible_branch_ids(officer),
        officer_id=officer.pk,
        as_of=dt.date(2026, 11, 20),
    )
    assert SCREENING_SECTIONS[0].context(scope)["project_flags"] is None
