"""A scope's portfolio on a date (the ledger today, a snapshot before) and its headline."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.registry import DashboardScope
from dashboard.selectors.figures import BUCKET_LABELS, CLASS_LABELS, ZERO, Figures, Portfolio
from dashboard.selectors.ledger import ledger_rows_cached
from dashboard.selectors.scope import today
from dashboard.selectors.snapshots import (
    snapshot_date_on_or_before,
    snapshot_totals,
    year_start_balances,
    zero_npl_years,
)


def portfolio_at(scope: DashboardScope) -> Portfolio:
    """Today: the ledger. A past date: the latest snapshot on or before it; a ValidationError
    when there is none (a date before any data)."""
    if scope.as_of >= today():
        rows = ledger_rows_cached(branch_ids=scope.branch_ids, officer_id=scope.officer_id)
        figures_date, live = scope.as_of, True
    else:
        figures_date = snapshot_date_on_or_before(scope, scope.as_of)
        if figures_date is None:
            raise ValidationError(
                _(
                    "There are no figures on or before %(day)s: the first snapshot is later. Pick a later date."
                ),
                params={"day": scope.as_of},
            )
        rows, totals = snapshot_totals(scope, figures_date)
        live = False
    total, by_branch, by_officer = Figures(), defaultdict(Figures), defaultdict(Figures)
    for row in rows:
        total.add(row, breakdowns=live)
        # Per branch and per officer the headline amounts are enough (no breakdowns).
        by_branch[row["branch_id"]].add(row, breakdowns=False)
        by_officer[row["officer_id"]].add(row, breakdowns=False)
    if not live:
        for name, amounts in totals.items():
            getattr(total, name).update(amounts)
    return Portfolio(scope.as_of, figures_date, live, total, dict(by_branch), dict(by_officer))


def summary(scope: DashboardScope) -> dict:
    """The headline of a scope on a date: what the API returns and the dashboard shows."""
    portfolio = portfolio_at(scope)
    base, base_by_branch = year_start_balances(scope)
    total = portfolio.total
    return {
        "portfolio": portfolio,
        "balance": total.balance,
        "balance_at_year_start": base,
        "base_by_branch": base_by_branch,
        "change_since_year_start": None if base is None else total.balance - base,
        "npl_balance": total.npl_balance,
        "npl_ratio": total.npl_ratio,
        "zero_npl_years": zero_npl_years(scope, npl_now=total.npl_balance),
        "overdue_balance": total.overdue_balance,
        "by_class": {key: total.by_class.get(key, ZERO) for key in CLASS_LABELS},
        "by_bucket": {key: total.by_bucket.get(key, ZERO) for key in BUCKET_LABELS},
    }
