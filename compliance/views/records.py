"""Staff records, the branch table and the monthly report (pages and Excel exports)."""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import OVERSIGHT_ROLES, profile_of, role_required
from accounts.selectors import staff_visible_to
from compliance import exports, selectors
from core.db_routers import reads_from_replica
from core.text import optional_int


def _year(request) -> int:
    year = optional_int(request.GET.get("year"))
    return year if year is not None and 2000 <= year <= 2100 else timezone.localdate().year


def _record(request, user_id):
    profile = get_object_or_404(staff_visible_to(request.user), user_id=user_id)
    return selectors.staff_record(profile=profile, year=_year(request), as_of=timezone.localdate())


def my_record(request):
    if profile_of(request.user) is None:
        raise Http404
    return staff_record(request, request.user.pk)


def staff_record(request, user_id):
    record = _record(request, user_id)
    return render(request, "compliance/staff_record.html", {"record": record})


@reads_from_replica()
def staff_record_export(request, user_id):
    record = _record(request, user_id)
    profile = record["profile"]
    return exports.workbook_response(
        exports.staff_record_workbook(record), f"compliance-{profile.employee_no}-{record['year']}.xlsx"
    )


@role_required(*OVERSIGHT_ROLES)
@reads_from_replica()
def branch_overview(request):
    today = timezone.localdate()
    start, end = selectors.year_span(today)
    figures = selectors.branch_figures(user=request.user, start=start, end=end)
    if request.GET.get("format") == "xlsx":
        workbook = exports.Workbook()
        exports.figures_sheet(workbook, _("Staff"), figures)
        return exports.workbook_response(workbook, f"compliance-branch-{today.isoformat()}.xlsx")
    return render(
        request,
        "compliance/branch_overview.html",
        {
            "figures": figures,
            "start": start,
            "end": end,
            "behind": sum(1 for row in figures if row.is_behind),
        },
    )


def _month(request) -> tuple[int, int]:
    try:
        day = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        day = timezone.localdate().replace(day=1)
    return day.year, day.month


@role_required(*OVERSIGHT_ROLES)
@reads_from_replica()
def monthly_report(request):
    year, month = _month(request)
    report = selectors.monthly_report(user=request.user, year=year, month=month)
    if request.GET.get("format") == "xlsx":
        return exports.workbook_response(
            exports.monthly_report_workbook(report), f"compliance-report-{year}-{month:02d}.xlsx"
        )
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    following = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    return render(
        request,
        "compliance/monthly_report.html",
        {"report": report, "month": first.strftime("%Y-%m"), "previous": previous, "following": following},
    )
