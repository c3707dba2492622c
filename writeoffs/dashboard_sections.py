"""The dashboard's "write-offs and recoveries" (核销与收回) section and its monthly report
table: written off this year and in all, recovered, still pursued (账销案存). Written-off
loans are out of every balance and NPL figure (those count active loans only); this section
is where the head sees them. Two queries, whatever the size of the ledger."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_wan
from core.registry import DashboardScope, DashboardSection, ReportTable
from writeoffs.selectors import write_off_figures


def _figures(scope: DashboardScope) -> dict:
    return write_off_figures(branch_ids=scope.branch_ids, officer_id=scope.officer_id, as_of=scope.as_of)


def write_offs_context(scope: DashboardScope) -> dict | None:
    figures = _figures(scope)
    return figures if figures["count"] else None


def write_offs_tables(scope: DashboardScope) -> list[ReportTable]:
    figures = _figures(scope)
    return [
        ReportTable(
            _("Write-offs and recoveries (10k yuan)"),
            [_("Figure"), _("This year"), _("In all")],
            [
                [
                    _("Written off"),
                    format_wan(figures["written_off_year"]),
                    format_wan(figures["written_off"]),
                ],
                [_("Recovered"), format_wan(figures["recovered_year"]), format_wan(figures["recovered"])],
                [_("Still pursued"), "", format_wan(figures["net"])],
                [_("Number of loans written off"), "", figures["count"]],
            ],
        )
    ]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=gettext_lazy("Write-offs and recoveries"),
        template="writeoffs/_dashboard_section.html",
        context=write_offs_context,
        report_tables=write_offs_tables,
        order=46,
    )
]
