"""The watchlist on the dashboard (counts by reason) and in the monthly report (counts by
reason and the list of loans), for the branches and officer in view (core/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scope_queryset
from core.formatting import format_date, format_wan, risk_class_label
from core.registry import DashboardScope, DashboardSection, ReportTable
from watchlist.models import Reason
from watchlist.selectors import counts_by_reason, open_entries

REPORT_ROWS = 2000  # the workbook lists at most this many loans (the counts cover all)


def _entries(scope: DashboardScope):
    return scope_queryset(open_entries(branch_ids=scope.branch_ids, officer_id=scope.officer_id), scope.user)


def section_context(scope: DashboardScope) -> dict:
    return {"figures": counts_by_reason(_entries(scope)), "url": reverse("watchlist")}


def report_tables(scope: DashboardScope) -> list[ReportTable]:
    entries = _entries(scope)
    figures = counts_by_reason(entries)
    labels = dict(Reason.choices)
    listed = entries.select_related("loan", "loan__borrower").order_by("loan__loan_no")[:REPORT_ROWS]
    return [
        ReportTable(
            title=_("Early-warning watchlist by reason"),
            headers=[_("Reason"), _("Loans"), _("Loan balance (10k yuan)")],
            rows=[
                *([row["label"], row["count"], format_wan(row["balance"])] for row in figures["reasons"]),
                [_("Total"), figures["total"], format_wan(figures["total_balance"])],
            ],
        ),
        ReportTable(
            title=_("Early-warning watchlist"),
            headers=[
                _("Loan number"),
                _("Borrower"),
                _("Loan balance (10k yuan)"),
                _("Five-tier class"),
                _("Reasons"),
                _("Flagged since"),
            ],
            rows=[
                [
                    entry.loan.loan_no,
                    entry.loan.borrower.name,
                    format_wan(entry.loan.balance),
                    risk_class_label(entry.loan.risk_class),
                    "；".join(f"{labels[code]}：{entry.details.get(code, '')}" for code in entry.reasons),
                    format_date(entry.first_flagged_on),
                ]
                for entry in listed
            ],
        ),
    ]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Early-warning watchlist"),
        template="watchlist/_dashboard_section.html",
        context=section_context,
        report_tables=report_tables,
        order=46,
    )
]
