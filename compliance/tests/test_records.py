import datetime as dt
from decimal import Decimal
from io import BytesIO

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from compliance import services
from compliance.dashboard_sections import DASHBOARD_SECTIONS
from compliance.exports import safe_cell
from compliance.models import AttendanceStatus, TrainingKind, ViolationSource
from compliance.selectors import staff_figures
from compliance.tests.conftest import right_answers
from core.registry import DashboardScope


def _meeting(branch, day, statuses):
    session = services.training_session_create(
        branch=branch, kind=TrainingKind.MORNING_MEETING, title=f"晨会{day}", held_on=day, duration_minutes=90
    )
    for user, status in statuses.items():
        services.attendance_record(
            session=session,
            staff=user,
            status=status,
            reason="病假" if status == AttendanceStatus.EXCUSED else "",
        )
    return session


def test_figures_count_hours_attendance_and_missed_meetings_in_a_row(branch, officer, other_officer):
    _meeting(
        branch,
        dt.date(2026, 11, 9),
        {officer: AttendanceStatus.PRESENT, other_officer: AttendanceStatus.LATE},
    )
    _meeting(
        branch,
        dt.date(2026, 11, 16),
        {officer: AttendanceStatus.ABSENT, other_officer: AttendanceStatus.EXCUSED},
    )
    _meeting(
        branch,
        dt.date(2026, 11, 23),
        {officer: AttendanceStatus.ABSENT, other_officer: AttendanceStatus.PRESENT},
    )
    mine, theirs = staff_figures(
        profiles=[officer.profile, other_officer.profile],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 11, 29),
    )
    assert mine.training_hours == Decimal("1.5") and mine.attendance_percent == Decimal("33.3")
    assert mine.missed_in_a_row == 2
    assert mine.is_behind
    assert theirs.training_hours == 3 and theirs.attendance_percent == 100 and theirs.missed_in_a_row == 0
    assert not theirs.is_behind


def test_figures_use_a_constant_number_of_queries(
    branch, officer, other_officer, branch_head, django_assert_max_num_queries
):
    _meeting(branch, dt.date(2026, 11, 23), {officer: AttendanceStatus.PRESENT})
    with django_assert_max_num_queries(6):
        staff_figures(
            profiles=[officer.profile, other_officer.profile, branch_head.profile],
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
        )


def test_a_loan_officer_sees_their_own_record_only(client_for, officer, other_officer):
    client = client_for(officer)
    assert client.get(reverse("compliance-my-record")).status_code == 200
    assert client.get(reverse("compliance-staff-record", args=[officer.pk])).status_code == 200
    assert client.get(reverse("compliance-staff-record", args=[other_officer.pk])).status_code == 404
    assert client.get(reverse("compliance-staff-record-export", args=[other_officer.pk])).status_code == 404


def test_branch_head_opens_an_officers_record_but_not_another_branchs(
    client_for, branch_head, officer, outsider
):
    client = client_for(branch_head)
    assert client.get(reverse("compliance-staff-record", args=[officer.pk])).status_code == 200
    assert client.get(reverse("compliance-staff-record", args=[outsider.pk])).status_code == 404


def test_the_record_shows_scores_acknowledgements_and_violations(client_for, officer, knowledge_test):
    services.attempt_submit(
        attempt=services.attempt_start(test=knowledge_test, staff=officer),
        answers=right_answers(knowledge_test),
    )
    from compliance.factories import RegulationFactory

    services.regulation_publish(regulation=RegulationFactory.build(title="《工作人员违规处理办法》"))
    services.violation_raise(
        staff=officer, occurred_on=dt.date.today(), rule="贷后检查逾期", source=ViolationSource.MISSED_ACTION
    )
    content = client_for(officer).get(reverse("compliance-my-record")).content.decode()
    assert "100.00" in content and "《工作人员违规处理办法》" in content and "贷后检查逾期" in content
    assert "compliance/compliance.css" in content  # the print stylesheet


def test_the_record_exports_to_excel_with_formulas_neutralised(client_for, officer, branch_head):
    services.violation_record(
        staff=officer,
        recorded_by=branch_head,
        approved_by=branch_head,
        occurred_on=dt.date.today(),
        rule='=HYPERLINK("http://evil")',
        source=ViolationSource.OTHER,
    )
    response = client_for(branch_head).get(reverse("compliance-staff-record-export", args=[officer.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook.worksheets[-1]
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://evil")' in values


def test_safe_cell_neutralises_every_formula_prefix():
    assert [safe_cell(v) for v in ["=1+1", "+1", "-1", "@SUM(A1)", "ok", 5]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "ok",
        5,
    ]


def test_branch_overview_highlights_who_is_behind(client_for, branch, branch_head, officer, other_officer):
    _meeting(branch, dt.date.today() - dt.timedelta(days=14), {officer: AttendanceStatus.ABSENT})
    _meeting(branch, dt.date.today() - dt.timedelta(days=7), {officer: AttendanceStatus.ABSENT})
    response = client_for(branch_head).get(reverse("compliance-branch"))
    behind = {row.profile.user_id for row in response.context["figures"] if row.is_behind}
    assert behind == {officer.pk}
    assert 'data-behind="1"' in response.content.decode()


def test_branch_overview_is_for_the_branch_head_and_compliance_only(client_for, officer, compliance_officer):
    assert client_for(officer).get(reverse("compliance-branch")).status_code == 403
    assert client_for(officer).get(reverse("compliance-report")).status_code == 403
    assert client_for(compliance_officer).get(reverse("compliance-branch")).status_code == 200


def test_branch_overview_exports_to_excel(client_for, branch_head, officer):
    response = client_for(branch_head).get(reverse("compliance-branch") + "?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert officer.profile.full_name in names


def test_monthly_report_page_and_workbook(client_for, branch, branch_head, officer):
    _meeting(branch, dt.date(2026, 11, 23), {officer: AttendanceStatus.PRESENT})
    client = client_for(branch_head)
    response = client.get(reverse("compliance-report") + "?month=2026-11")
    assert response.status_code == 200 and "晨会2026-11-23" in response.content.decode()
    workbook = load_workbook(
        BytesIO(client.get(reverse("compliance-report") + "?month=2026-11&format=xlsx").content)
    )
    assert len(workbook.sheetnames) == 4
    assert client.get(reverse("compliance-report") + "?month=garbage").status_code == 200


def test_dashboard_section_counts_and_links(branch, officer, branch_head):
    with time_machine.travel("2026-11-29 10:00 +0800", tick=False):
        _meeting(
            branch,
            dt.date(2026, 11, 23),
            {officer: AttendanceStatus.PRESENT, branch_head: AttendanceStatus.ABSENT},
        )
        services.violation_raise(
            staff=officer, occurred_on=dt.date(2026, 3, 1), rule="r", source=ViolationSource.MISSED_ACTION
        )
        scope = DashboardScope(
            user=branch_head, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=dt.date(2026, 11, 29)
        )
        section = DASHBOARD_SECTIONS[0]
        context = section.context(scope)
        tables = section.report_tables(scope)
    assert context["attendance_percent"] == 50.0 and context["violations"] == 1
    assert context["violations_url"].startswith(reverse("compliance-violations"))
    assert len(tables[0].rows) == 2


def test_home_panel_shows_the_branchs_outstanding_acknowledgements_to_the_head(
    client_for, branch_head, officer
):
    from compliance.factories import RegulationFactory

    services.regulation_publish(regulation=RegulationFactory.build())
    content = client_for(branch_head).get(reverse("home")).content.decode()
    assert 'data-testid="compliance-home-panel"' in content
    assert reverse("compliance-branch") in content
