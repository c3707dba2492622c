"""Excel workbooks (openpyxl) for the compliance record, the branch table and the monthly report."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

# A cell starting with one of these would be read by Excel as a formula (CSV/formula
# injection): it is written as text with a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BEHIND_FILL = PatternFill("solid", fgColor="F8D7DA")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def add_sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], *, highlight=()) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(str(header)) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, row in enumerate(rows):
        sheet.append([safe_cell(value) for value in row])
        if index in highlight:
            for cell in sheet[sheet.max_row]:
                cell.fill = BEHIND_FILL


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    if "Sheet" in workbook.sheetnames and len(workbook.sheetnames) > 1:
        del workbook["Sheet"]
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def figures_headers() -> list[str]:
    return [
        _("Employee no."),
        _("Name"),
        _("Branch"),
        _("Training hours"),
        _("Attendance rate (%)"),
        _("Missed meetings in a row"),
        _("Average test score"),
        _("Outstanding acknowledgements"),
        _("Overdue acknowledgements"),
        _("Violations"),
        _("Fines (yuan)"),
        _("Behind"),
    ]


def figures_rows(figures) -> list[list]:
    return [
        [
            row.profile.employee_no,
            row.profile.full_name,
            row.profile.branch.name,
            row.training_hours,
            row.attendance_percent,
            row.missed_in_a_row,
            row.average_score,
            row.outstanding_acks,
            row.overdue_acks,
            row.violations,
            row.fines,
            "; ".join(row.behind_reasons),
        ]
        for row in figures
    ]


def figures_sheet(workbook: Workbook, title: str, figures) -> None:
    highlight = {index for index, row in enumerate(figures) if row.is_behind}
    add_sheet(workbook, title, figures_headers(), figures_rows(figures), highlight=highlight)


def violation_rows(violations) -> list[list]:
    return [
        [
            violation.occurred_on,
            violation.staff.profile.full_name,
            violation.rule,
            violation.get_source_display(),
            violation.get_penalty_kind_display(),
            violation.fine_amount,
            violation.score_deduction,
            violation.get_status_display(),
            violation.approved_by.profile.full_name if violation.approved_by_id else "",
            violation.appeal_note,
        ]
        for violation in violations
    ]


def violation_headers() -> list[str]:
    return [
        _("Date"),
        _("Staff member"),
        _("Rule broken"),
        _("Source"),
        _("Penalty"),
        _("Fine (yuan)"),
        _("Score deduction"),
        _("Status"),
        _("Approved by"),
        _("Appeal"),
    ]


def staff_record_workbook(record: dict) -> Workbook:
    workbook = Workbook()
    figures_sheet(workbook, _("Summary"), [record["figures"]])
    add_sheet(
        workbook,
        _("Attendance"),
        [_("Date"), _("Session"), _("Kind"), _("Duration (minutes)"), _("Attendance"), _("Reason")],
        [
            [
                row.session.held_on,
                row.session.title,
                row.session.get_kind_display(),
                row.session.duration_minutes,
                row.get_status_display(),
                row.reason,
            ]
            for row in record["attendance"]
        ],
    )
    add_sheet(
        workbook,
        _("Tests"),
        [_("Submitted"), _("Test"), _("Score"), _("Passed")],
        [
            [
                attempt.submitted_at.date(),
                attempt.test.title,
                attempt.score,
                _("yes") if attempt.passed else _("no"),
            ]
            for attempt in record["attempts"]
        ],
    )
    add_sheet(
        workbook,
        _("Outstanding acknowledgements"),
        [_("Regulation"), _("Version"), _("Asked on")],
        [[ack.regulation.title, ack.version, ack.requested_at.date()] for ack in record["outstanding"]],
    )
    add_sheet(workbook, _("Violations"), violation_headers(), violation_rows(record["violations"]))
    return workbook


def monthly_report_workbook(report: dict) -> Workbook:
    workbook = Workbook()
    figures_sheet(workbook, _("Staff"), report["figures"])
    add_sheet(
        workbook,
        _("Training sessions"),
        [
            _("Date"),
            _("Branch"),
            _("Kind"),
            _("Title"),
            _("Duration (minutes)"),
            _("Attended"),
            _("On the roll"),
        ],
        [
            [
                s.held_on,
                s.branch.name,
                s.get_kind_display(),
                s.title,
                s.duration_minutes,
                s.attended,
                s.on_roll,
            ]
            for s in report["sessions"]
        ],
    )
    add_sheet(
        workbook,
        _("Problems raised"),
        [_("Raised on"), _("Problem"), _("Owner"), _("Due date"), _("Status"), _("Resolution")],
        [
            [
                p.meeting.held_on,
                p.description,
                p.owner.profile.full_name,
                p.due_on,
                p.get_status_display(),
                p.resolution,
            ]
            for p in report["problems"]
        ],
    )
    add_sheet(workbook, _("Violations"), violation_headers(), violation_rows(report["violations"]))
    return workbook
