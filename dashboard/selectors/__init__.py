"""Reads for the dashboard, the summary API and the monthly report, by subdomain: the
request's scope, today's figures from the ledger, past ones from the snapshots, the
portfolio and headline built from either, and the names shown beside them.

Figures for today come from the ledger in one GROUP BY; figures for a past date come from
the portfolio snapshot on or before that date. Every function runs a fixed number of
queries whatever the number of loans, branches or officers.

Definitions (as in the CBIRC 1104 returns):
- balance (贷款余额): outstanding principal of active loans;
- non-performing balance (不良贷款余额): balance of loans classed substandard, doubtful or
  loss (2023 asset risk classification measures); NPL ratio = NPL balance / balance;
- overdue balance (逾期贷款余额): the whole balance of loans with any day past due;
- change since the start of the year: balance now minus the 1 January snapshot (or, when
  there is none, the 31 December snapshot of the year before);
- zero-NPL run: consecutive years, counted back from the last year-end on or before the
  date, whose year-end snapshot shows no NPL; a non-zero NPL on the date itself breaks it.

The names are re-exported here for the views, the API, the services and the tests;
modules of this package import each other directly, never through this file.
"""

from dashboard.selectors.figures import (
    BORROWER_TYPE_LABELS,
    BUCKET_LABELS,
    CLASS_LABELS,
    PRODUCT_LABELS,
    ZERO,
    Figures,
    Portfolio,
)
from dashboard.selectors.ledger import (
    LEDGER_FIGURES_TTL,
    LEDGER_VERSION_KEY,
    TOP_OVERDUE,
    ledger_branches_bump,
    ledger_figures_refresh,
    ledger_rows,
    ledger_rows_cached,
    ledger_version,
    ledger_version_bump,
    top_overdue_borrowers,
)
from dashboard.selectors.names import (
    branches_by_id,
    officer_names,
)
from dashboard.selectors.portfolio import (
    portfolio_at,
    summary,
)
from dashboard.selectors.scope import (
    as_of_parse,
    dashboard_scope,
    scoped,
    today,
)
from dashboard.selectors.sections import sections_cached
from dashboard.selectors.snapshots import (
    BREAKDOWN_FIELDS,
    balance_by_month,
    month_end,
    snapshot_date_on_or_before,
    snapshot_totals,
    year_start_balances,
    zero_npl_years,
)

__all__ = [
    "BORROWER_TYPE_LABELS",
    "BREAKDOWN_FIELDS",
    "BUCKET_LABELS",
    "CLASS_LABELS",
    "Figures",
    "LEDGER_FIGURES_TTL",
    "LEDGER_VERSION_KEY",
    "PRODUCT_LABELS",
    "Portfolio",
    "TOP_OVERDUE",
    "ZERO",
    "as_of_parse",
    "balance_by_month",
    "branches_by_id",
    "dashboard_scope",
    "ledger_branches_bump",
    "ledger_figures_refresh",
    "ledger_rows",
    "ledger_rows_cached",
    "ledger_version",
    "ledger_version_bump",
    "month_end",
    "officer_names",
    "portfolio_at",
    "scoped",
    "sections_cached",
    "snapshot_date_on_or_before",
    "snapshot_totals",
    "summary",
    "today",
    "top_overdue_borrowers",
    "year_start_balances",
    "zero_npl_years",
]
