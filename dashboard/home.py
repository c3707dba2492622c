"""The home page of whoever approves (the branch head, the city branch head): the figures
first, from the dashboard's own selectors so they match it exactly, then what waits for
their decision."""

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.access import APPROVER_ROLES
from core.registry import HomePanel
from dashboard.selectors import dashboard_scope, summary, today
from dashboard.selectors.approvals import approval_counts


def figures_panel(request) -> dict | None:
    try:
        figures = summary(dashboard_scope(request.user, as_of=today()))
    except (ValidationError, Http404):  # no branch to look at yet, or no figures
        return None
    return {
        "balance": figures["balance"],
        "change": figures["change_since_year_start"],
        "npl_balance": figures["npl_balance"],
        "npl_ratio": f"{figures['npl_ratio'] * 100:.2f}",
        "overdue_balance": figures["overdue_balance"],
    }


def approvals_panel(request) -> dict | None:
    kinds = approval_counts(request.user)
    if not kinds:
        return None
    return {"kinds": kinds, "total": sum(kind["count"] for kind in kinds)}


HOME_PANELS = [
    HomePanel(template="dashboard/_home_figures.html", context=figures_panel, roles=APPROVER_ROLES, order=0),
    HomePanel(
        template="dashboard/_home_approvals.html", context=approvals_panel, roles=APPROVER_ROLES, order=1
    ),
]
