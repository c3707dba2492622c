"""The dashboard app's own entry in the dashboard registry (core.registry).

Every app may have a ``dashboard_sections.py`` whose ``DASHBOARD_SECTIONS`` core discovers
at start-up; the dashboard page (dashboard.presenters) and the monthly report
(dashboard.reports) show each section. This module is not the page itself: it is this
app's section, through the same contract as the others: the last month-end balances from
the portfolio snapshots (one indexed query, whatever the size of the ledger)."""

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import to_wan as wan
from core.registry import DashboardScope, DashboardSection, ReportTable
from dashboard.models import PortfolioSnapshot

MONTHS_SHOWN = 6


def _month_ends(scope: DashboardScope) -> list[dict]:
    snapshots = PortfolioSnapshot.objects.filter(branch_id__in=scope.branch_ids, as_of__lte=scope.as_of)
    if scope.officer_id is not None:
        snapshots = snapshots.filter(officer_id=scope.officer_id)
    dates = (
        snapshots.values("as_of")
        .annotate(
            balance=Sum("balance"),
            npl=Sum("npl_balance"),
            overdue=Sum("overdue_balance"),
            loans=Sum("loan_count"),
        )
        .order_by("-as_of")[:MONTHS_SHOWN]
    )
    return [
        {
            "as_of": item["as_of"],
            "balance": wan(item["balance"]),
            "npl": wan(item["npl"]),
            "overdue": wan(item["overdue"]),
            "loans": item["loans"],
        }
        for item in dates
    ]


def loan_figures_context(scope: DashboardScope) -> dict | None:
    rows = _month_ends(scope)
    return {"rows": rows} if rows else None


def loan_figures_tables(scope: DashboardScope) -> list[ReportTable]:
    return [
        ReportTable(
            _("Recent snapshots (10k yuan)"),
            [_("Date"), _("Balance"), _("Non-performing"), _("Overdue"), _("Number of loans")],
            [
                [row["as_of"], row["balance"], row["npl"], row["overdue"], row["loans"]]
                for row in _month_ends(scope)
            ],
        )
    ]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Recent snapshots"),
        template="dashboard/_loan_figures.html",
        context=loan_figures_context,
        report_tables=loan_figures_tables,
        order=10,
    )
]
