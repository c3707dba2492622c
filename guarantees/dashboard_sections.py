"""The monthly report's table of guarantee circles by balance.

The circles are not drawn on the live dashboard: finding them builds the whole guarantee
graph of the branches in view (every guarantor of every active loan), which is fine once a
month for the report and on the circle list page (/guarantees/), but not on every dashboard
load of a city branch. The dashboard section therefore shows nothing (context None)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import OVERSIGHT_ROLES, has_role
from core.formatting import format_wan
from core.registry import DashboardScope, DashboardSection, ReportTable
from guarantees.selectors import guarantee_network


def _circles(scope: DashboardScope):
    if not has_role(scope.user, *OVERSIGHT_ROLES) or scope.officer_id is not None:
        return None
    return guarantee_network(branch_ids=scope.branch_ids).circles


def _context(scope: DashboardScope) -> dict | None:
    """Hidden on the live dashboard (see the module docstring)."""
    return None


def report_tables(scope: DashboardScope) -> list[ReportTable]:
    circles = _circles(scope)
    if circles is None:
        return []
    rows = [
        [
            _("Mutual guarantee") if circle.mutual else _("Guarantee circle"),
            circle.label,
            format_wan(circle.balance),
            "、".join(p.name for p in circle.overdue_parties) or "—",
        ]
        for circle in circles
    ]
    return [
        ReportTable(
            title=_("Guarantee circles"),
            headers=[_("Kind"), _("Members"), _("Loan balance (10k yuan)"), _("Overdue members")],
            rows=rows,
        )
    ]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Guarantee circles"),
        template="guarantees/_dashboard_section.html",
        context=_context,
        report_tables=report_tables,
        order=47,
    )
]
