"""Dashboard and monthly-report sections of the required actions (core/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scope_queryset
from core.registry import DashboardScope, DashboardSection, ReportTable
from loans.models import Loan
from post_loan.coming_due import HORIZONS, coming_due_table
from post_loan.domain import month_bounds
from post_loan.models import ActionStatus, RequiredAction
from post_loan.selectors import rates_per_officer, rates_per_template


def _actions(scope: DashboardScope):
    actions = RequiredAction.objects.filter(branch_id__in=scope.branch_ids)
    if scope.officer_id is not None:
        actions = actions.filter(responsible_id=scope.officer_id)
    return scope_queryset(actions, scope.user, branch_field="branch", officer_field="responsible")


def section_context(scope: DashboardScope) -> dict:
    start, end = month_bounds(scope.as_of)
    actions = _actions(scope)
    return {
        "month": start.strftime("%Y-%m"),
        "per_officer": rates_per_officer(actions, start=start, end=end),
        "late_count": actions.filter(status=ActionStatus.LATE).count(),
        "late_url": reverse("action-list") + "?status=late",
    }


def report_tables(scope: DashboardScope) -> list[ReportTable]:
    start, end = month_bounds(scope.as_of)
    actions = _actions(scope)
    headers = [_("Due"), _("Done"), _("Completion rate (%)"), _("On-time rate (%)"), _("Late"), _("Returned")]

    def cells(row):
        return [
            row["total"],
            row["done"],
            row["completion_rate"],
            row["on_time_rate"],
            row["late"],
            row["returned"],
        ]

    return [
        ReportTable(
            title=_("Required actions per officer"),
            headers=[_("Officer"), *headers],
            rows=[
                [row["officer_name"], *cells(row)] for row in rates_per_officer(actions, start=start, end=end)
            ],
        ),
        ReportTable(
            title=_("Required actions per template"),
            headers=[_("Template"), *headers],
            rows=[
                [row["template__name"], *cells(row)]
                for row in rates_per_template(actions, start=start, end=end)
            ],
        ),
    ]


def _loans(scope: DashboardScope):
    loans = Loan.objects.filter(branch_id__in=scope.branch_ids)
    if scope.officer_id is not None:
        loans = loans.filter(officer_id=scope.officer_id)
    return scope_queryset(loans, scope.user, branch_field="branch", officer_field="officer")


def coming_due_context(scope: DashboardScope) -> dict:
    return {"rows": coming_due_table(_loans(scope), as_of=scope.as_of), "url": reverse("coming-due")}


def coming_due_report_tables(scope: DashboardScope) -> list[ReportTable]:
    headers = [_("Kind"), _("Overdue"), *[_("Within %(days)s days") % {"days": days} for days in HORIZONS]]
    rows = coming_due_table(_loans(scope), as_of=scope.as_of)
    return [
        ReportTable(
            title=_("Coming due"),
            headers=headers,
            rows=[
                [row["label"], row["overdue"], *[row[f"within_{days}"] for days in HORIZONS]] for row in rows
            ],
        )
    ]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Required actions"),
        template="post_loan/_dashboard_section.html",
        context=section_context,
        report_tables=report_tables,
        order=40,
    ),
    DashboardSection(
        title=gettext_lazy("Coming due"),
        template="post_loan/_coming_due_section.html",
        context=coming_due_context,
        report_tables=coming_due_report_tables,
        order=41,
    ),
]
