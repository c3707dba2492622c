"""The compliance section of the dashboard and the monthly report (see core/registry.py)."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, StaffProfile
from compliance.exports import figures_headers, figures_rows
from compliance.models import (
    ATTENDED,
    Acknowledgement,
    Attendance,
    AttendanceStatus,
    GiftDeclaration,
    Violation,
    ViolationStatus,
)
from compliance.selectors import staff_figures
from core.registry import DashboardScope, DashboardSection, ReportTable


def _staff_filter(scope: DashboardScope, field: str) -> Q:
    condition = Q(**{f"{field}__profile__branch_id__in": scope.branch_ids})
    if scope.officer_id is not None:
        condition &= Q(**{f"{field}_id": scope.officer_id})
    return condition


def section_context(scope: DashboardScope) -> dict:
    """Attendance rate this year, outstanding acknowledgements, violations this year."""
    start = dt.date(scope.as_of.year, 1, 1)
    attendance = (
        Attendance.objects.filter(
            _staff_filter(scope, "staff"), session__held_on__gte=start, session__held_on__lte=scope.as_of
        )
        .exclude(status__in=[AttendanceStatus.UNRECORDED, AttendanceStatus.EXCUSED])
        .aggregate(recorded=Count("id"), attended=Count("id", filter=Q(status__in=ATTENDED)))
    )
    percent = None
    if attendance["recorded"]:
        percent = round(attendance["attended"] * 100 / attendance["recorded"], 1)
    return {
        "attendance_percent": percent,
        "outstanding_acks": Acknowledgement.objects.filter(
            _staff_filter(scope, "staff"),
            acknowledged_at__isnull=True,
            regulation__superseded_by__isnull=True,
        ).count(),
        "violations": Violation.objects.filter(
            _staff_filter(scope, "staff"), occurred_on__gte=start, occurred_on__lte=scope.as_of
        )
        .exclude(status=ViolationStatus.WITHDRAWN)
        .count(),
        "sessions_url": reverse("compliance-sessions"),
        "acks_url": reverse("compliance-branch")
        if scope.officer_id is None
        else reverse("compliance-acknowledgements"),
        "violations_url": reverse("compliance-violations") + f"?year={scope.as_of.year}",
    }


def report_tables(scope: DashboardScope) -> list[ReportTable]:
    """The month of ``as_of``: every staff member's compliance figures."""
    start = scope.as_of.replace(day=1)
    profiles = StaffProfile.objects.filter(branch_id__in=scope.branch_ids).exclude(role=Role.ADMIN)
    if scope.officer_id is not None:
        profiles = profiles.filter(user_id=scope.officer_id)
    figures = staff_figures(profiles=list(profiles.select_related("branch")), start=start, end=scope.as_of)
    return [
        ReportTable(
            title=_("Compliance and training"), headers=figures_headers(), rows=figures_rows(figures)
        ),
        _gifts_table(scope, start),
    ]


def _person(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return profile.full_name if profile else user.get_username()


def _gifts_table(scope: DashboardScope, start: dt.date) -> ReportTable:
    """Every gift and hospitality declared for the month, own borrowers and violations marked."""
    gifts = (
        GiftDeclaration.objects.filter(
            _staff_filter(scope, "staff"), offered_on__gte=start, offered_on__lte=scope.as_of
        )
        .select_related("staff__profile", "borrower", "reviewed_by__profile")
        .order_by("offered_on", "id")
    )
    return ReportTable(
        title=_("Gifts and hospitality register"),
        headers=[
            _("Date offered"),
            _("Declared by"),
            _("What was offered"),
            _("Offered by"),
            _("Own borrower"),
            _("Accepted or refused"),
            _("Value (yuan)"),
            _("Violation"),
            _("Reviewed by"),
        ],
        rows=[
            [
                gift.offered_on,
                gift.staff.profile.full_name,
                gift.get_kind_display(),
                gift.offered_by,
                _("Yes") if gift.own_borrower else "",
                gift.get_outcome_display(),
                gift.value,
                _("Yes") if gift.violation_id else "",
                _person(gift.reviewed_by),
            ]
            for gift in gifts
        ],
    )


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Rules and training"),
        template="compliance/_dashboard_section.html",
        context=section_context,
        report_tables=report_tables,
        order=400,
    )
]
