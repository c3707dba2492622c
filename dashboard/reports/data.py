"""The figures of the monthly post-loan report (贷后管理月报): the headline, the tables
behind the dashboard's charts, the series the PDF draws, and the tables every app's
dashboard section adds through core.registry. Amounts are in 万元."""

import datetime as dt

from django.utils.translation import gettext as _

from core.formatting import to_wan as wan
from core.registry import DashboardScope, ReportTable, report_tables_for
from dashboard.reports.cells import Ratio
from dashboard.selectors import (
    BORROWER_TYPE_LABELS,
    BUCKET_LABELS,
    CLASS_LABELS,
    PRODUCT_LABELS,
    balance_by_month,
    branches_by_id,
    officer_names,
    summary,
    top_overdue_borrowers,
)


def report_data(scope: DashboardScope, *, branch, month: dt.date) -> dict:
    """Everything the report prints: the headline, the tables behind the charts, the series
    the charts draw, and every dashboard section's report tables. Personal ID numbers are not printed: borrowers are
    named only."""
    figures = summary(scope)
    portfolio = figures["portfolio"]
    total = portfolio.total
    change = figures["change_since_year_start"]
    headline = [
        [_("Loan balance (10k yuan)"), wan(total.balance)],
        [_("Balance at the start of the year (10k yuan)"), wan(figures["balance_at_year_start"])],
        [_("Change since the start of the year (10k yuan)"), wan(change)],
        [_("Non-performing balance (10k yuan)"), wan(total.npl_balance)],
        [_("NPL ratio"), Ratio(total.npl_ratio)],
        [_("Years in a row with zero NPL"), figures["zero_npl_years"]],
        [_("Overdue balance (10k yuan)"), wan(total.overdue_balance)],
        [_("Number of loans"), total.loan_count],
    ]
    months = balance_by_month(scope, portfolio)
    this_year = [wan(value) for value in months["this_year"]]
    last_year = [wan(value) for value in months["last_year"]]
    mixes = {
        "classes": [(str(label), wan(total.by_class.get(key, 0))) for key, label in CLASS_LABELS.items()],
        "buckets": [(str(label), wan(total.by_bucket.get(key, 0))) for key, label in BUCKET_LABELS.items()],
        "products": [
            (str(label), wan(total.by_product.get(key, 0))) for key, label in PRODUCT_LABELS.items()
        ],
        "borrower_types": [
            (str(label), wan(total.by_borrower_type.get(key, 0)))
            for key, label in BORROWER_TYPE_LABELS.items()
        ],
    }
    tables = [
        ReportTable(
            _("Balance by month (10k yuan)"),
            [_("Month"), _("This year"), _("Last year")],
            [[m + 1, this_year[m], last_year[m]] for m in range(12)],
        ),
        ReportTable(_("Balance by class (10k yuan)"), [_("Class"), _("Balance")], mixes["classes"]),
        ReportTable(_("Balance by bucket (10k yuan)"), [_("Days past due"), _("Balance")], mixes["buckets"]),
        ReportTable(_("Balance by product (10k yuan)"), [_("Product"), _("Balance")], mixes["products"]),
        ReportTable(
            _("Balance by borrower type (10k yuan)"),
            [_("Borrower type"), _("Balance")],
            mixes["borrower_types"],
        ),
    ]
    names = officer_names(portfolio.by_officer)
    tables.append(
        ReportTable(
            _("Balance by officer (10k yuan)"),
            [_("Officer"), _("Number of loans"), _("Balance"), _("Non-performing"), _("Overdue")],
            [
                [
                    names.get(officer_id, _("Branch level")),
                    f.loan_count,
                    wan(f.balance),
                    wan(f.npl_balance),
                    wan(f.overdue_balance),
                ]
                for officer_id, f in sorted(portfolio.by_officer.items(), key=lambda item: -item[1].balance)
            ],
        )
    )
    if len(scope.branch_ids) > 1:
        branches = branches_by_id(scope.branch_ids)
        tables.append(
            ReportTable(
                _("Branches compared (10k yuan)"),
                [
                    _("Branch"),
                    _("Balance"),
                    _("Change since 1 January"),
                    _("Non-performing"),
                    _("NPL ratio"),
                    _("Overdue"),
                ],
                [
                    [
                        branches[branch_id].name if branch_id in branches else branch_id,
                        wan(f.balance),
                        wan(f.balance - figures["base_by_branch"][branch_id])
                        if branch_id in figures["base_by_branch"]
                        else None,
                        wan(f.npl_balance),
                        Ratio(f.npl_ratio),
                        wan(f.overdue_balance),
                    ]
                    for branch_id, f in sorted(portfolio.by_branch.items(), key=lambda item: -item[1].balance)
                ],
            )
        )
    if portfolio.live:
        tables.append(
            ReportTable(
                _("Top overdue borrowers (10k yuan)"),
                [_("Borrower"), _("Overdue balance"), _("Days past due")],
                [[b["borrower__name"], wan(b["overdue"]), b["days"]] for b in top_overdue_borrowers(scope)],
            )
        )
    tables.extend(report_tables_for(scope))
    return {
        "title": _("Monthly post-loan report"),
        "branch": branch.name,
        "month": month,
        "figures_date": portfolio.figures_date,
        "headline": headline,
        "tables": tables,
        # What the PDF draws: month-end balances of this year and the last, and the mixes.
        "charts": {"year": month.year, "this_year": this_year, "last_year": last_year, **mixes},
    }
