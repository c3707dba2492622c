"""Dashboard section of the risk screening (core/registry.py): counts with links."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import OVERSIGHT_ROLES, has_role
from core.registry import DashboardScope, DashboardSection, ReportTable
from screening.models import FlagStatus
from screening.selectors import (
    face_signing_gaps_visible_to,
    flagged_loans_visible_to,
    open_signals_visible_to,
    project_flags_visible_to,
)


def _narrow(queryset, scope: DashboardScope, branch_field: str, officer_field: str | None):
    queryset = queryset.filter(**{f"{branch_field}__in": scope.branch_ids})
    if scope.officer_id is not None and officer_field:
        queryset = queryset.filter(**{officer_field: scope.officer_id})
    return queryset


def _counts(scope: DashboardScope) -> dict:
    user = scope.user
    head = has_role(user, *OVERSIGHT_ROLES)
    return {
        "flagged_customers": _narrow(flagged_loans_visible_to(user), scope, "branch_id", "officer_id")
        .values("borrower_id")
        .distinct()
        .count(),
        "open_signals": _narrow(open_signals_visible_to(user), scope, "branch_id", "officer_id").count(),
        "face_signing_gaps": _narrow(
            face_signing_gaps_visible_to(user), scope, "branch_id", "officer_id"
        ).count(),
        "project_flags": _narrow(project_flags_visible_to(user), scope, "branch_id", None)
        .filter(status=FlagStatus.OPEN)
        .count()
        if head and scope.officer_id is None
        else None,
    }


def report_tables(scope: DashboardScope) -> list[ReportTable]:
    counts = _counts(scope)
    rows = [
        [_("Customers in restricted or prohibited industries"), counts["flagged_customers"]],
        [_("Open early-warning signals"), counts["open_signals"]],
        [_("Individual loans without a face-signing record"), counts["face_signing_gaps"]],
    ]
    if counts["project_flags"] is not None:
        rows.append([_("Flagged property projects"), counts["project_flags"]])
    return [ReportTable(title=_("Risk screening"), headers=[_("Item"), _("Count")], rows=rows)]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Risk screening"),
        template="screening/_dashboard_section.html",
        context=_counts,
        report_tables=report_tables,
        order=45,
    )
]
