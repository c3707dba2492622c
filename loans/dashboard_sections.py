"""Dashboard section and monthly-report table of restructured loans (重组贷款) in their
observation period (观察期), with the balance (core/registry.py). Two queries."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_wan
from core.registry import DashboardScope, DashboardSection, ReportTable
from loans.domain import NON_PERFORMING_CLASSES
from loans.models import LoanStatus
from loans.selectors import loans_visible_to


def _figures(scope: DashboardScope) -> dict:
    loans = loans_visible_to(scope.user).filter(
        branch_id__in=scope.branch_ids, status=LoanStatus.ACTIVE, restructured=True
    )
    if scope.officer_id is not None:
        loans = loans.filter(officer_id=scope.officer_id)
    figures = loans.aggregate(
        count=Count("id"),
        total=Sum("balance"),
        npl_count=Count("id", filter=Q(risk_class__in=NON_PERFORMING_CLASSES)),
        npl_total=Sum("balance", filter=Q(risk_class__in=NON_PERFORMING_CLASSES)),
        overdue_count=Count("id", filter=Q(days_past_due__gt=0)),
    )
    return {key: value or 0 for key, value in figures.items()}


def _context(scope: DashboardScope) -> dict | None:
    figures = _figures(scope)
    return figures if figures["count"] else None


def report_tables(scope: DashboardScope) -> list[ReportTable]:
    figures = _figures(scope)
    rows = [
        [_("Restructured loans in observation"), figures["count"], format_wan(figures["total"])],
        [_("of which non-performing"), figures["npl_count"], format_wan(figures["npl_total"])],
        [_("of which overdue"), figures["overdue_count"], "—"],
    ]
    return [
        ReportTable(
            title=_("Restructured loans"),
            headers=[_("Item"), _("Count"), _("Loan balance (10k yuan)")],
            rows=rows,
        )
    ]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Restructured loans"),
        template="loans/_dashboard_section.html",
        context=_context,
        report_tables=report_tables,
        order=44,
    )
]
