"""Past figures, from the portfolio snapshots: a date's rows and breakdowns, the balance
at the start of the year, the zero-NPL run and the month-end series."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Max, Q, Sum

from core.registry import DashboardScope
from dashboard.models import PortfolioSnapshot
from dashboard.selectors.figures import ZERO, Portfolio
from dashboard.selectors.scope import scoped


def snapshot_date_on_or_before(scope: DashboardScope, day: dt.date) -> dt.date | None:
    return scoped(PortfolioSnapshot.objects.filter(as_of__lte=day), scope).aggregate(last=Max("as_of"))[
        "last"
    ]


BREAKDOWN_FIELDS = ("by_product", "by_borrower_type", "by_class", "by_bucket")


def snapshot_totals(scope: DashboardScope, day: dt.date) -> tuple[list[dict], dict]:
    """The rows of a date without their breakdowns, and the breakdowns summed in SQL (a city
    branch has hundreds of rows a date: decoding their JSON in Python is the slow part)."""
    rows = list(
        scoped(PortfolioSnapshot.objects.filter(as_of=day), scope).values(
            "branch_id", "officer_id", "balance", "npl_balance", "overdue_balance", "loan_count"
        )
    )
    table = PortfolioSnapshot._meta.db_table
    where = "s.as_of = %s AND s.branch_id = ANY(%s)"
    params: list = [day, sorted(scope.branch_ids)]
    if scope.officer_id is not None:
        where += " AND s.officer_id = %s"
        params.append(scope.officer_id)
    # Field names come from BREAKDOWN_FIELDS (constants), never from input.
    sql = " UNION ALL ".join(
        f"SELECT '{name}', e.key, SUM(e.value::numeric) FROM {table} s, jsonb_each_text(s.{name}) e "  # noqa: S608
        f"WHERE {where} GROUP BY e.key"
        for name in BREAKDOWN_FIELDS
    )
    totals: dict = {name: {} for name in BREAKDOWN_FIELDS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params * len(BREAKDOWN_FIELDS))
        for name, key, amount in cursor.fetchall():
            totals[name][key] = amount
    return rows, totals


def year_start_balances(scope: DashboardScope) -> tuple[Decimal | None, dict]:
    """Balance at the start of the as-of year, in total and per branch: the 1 January
    snapshot, else the 31 December one before it. (None, {}) when neither exists."""
    jan1 = dt.date(scope.as_of.year, 1, 1)
    dec31 = jan1 - dt.timedelta(days=1)
    sums = (
        scoped(PortfolioSnapshot.objects.filter(as_of__in=[jan1, dec31]), scope)
        .values("as_of", "branch_id")
        .annotate(amount=Sum("balance"))
        .order_by()
    )
    per_date: dict[dt.date, dict] = defaultdict(dict)
    for item in sums:
        per_date[item["as_of"]][item["branch_id"]] = item["amount"]
    chosen = per_date.get(jan1) or per_date.get(dec31)
    if not chosen:
        return None, {}
    return sum(chosen.values(), ZERO), chosen


def zero_npl_years(scope: DashboardScope, *, npl_now: Decimal) -> int:
    """Consecutive years with no NPL at the year end, counted back from the last year end
    on or before the date (a 1 January snapshot stands for the 31 December before it)."""
    if npl_now:
        return 0
    year_ends = (
        scoped(PortfolioSnapshot.objects.filter(as_of__lte=scope.as_of), scope)
        .filter(Q(as_of__month=12, as_of__day=31) | Q(as_of__month=1, as_of__day=1))
        .values("as_of")
        .annotate(npl=Sum("npl_balance"))
        .order_by()
    )
    npl_by_year: dict[int, Decimal] = {}
    for item in sorted(year_ends, key=lambda item: item["as_of"]):
        year = item["as_of"].year if item["as_of"].month == 12 else item["as_of"].year - 1
        # Sorted by date, 31 December comes before the 1 January after it: it wins.
        npl_by_year.setdefault(year, item["npl"])
    year = scope.as_of.year if (scope.as_of.month, scope.as_of.day) == (12, 31) else scope.as_of.year - 1
    run = 0
    while year in npl_by_year and npl_by_year[year] == 0:
        run += 1
        year -= 1
    return run


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def balance_by_month(scope: DashboardScope, portfolio: Portfolio) -> dict:
    """Month-end balances of the as-of year and the year before (None where no snapshot);
    the current month of a live dashboard shows today's ledger."""
    year = scope.as_of.year
    sums = (
        scoped(
            PortfolioSnapshot.objects.filter(
                as_of__gte=dt.date(year - 1, 1, 1), as_of__lte=dt.date(year, 12, 31)
            ),
            scope,
        )
        .values("as_of")
        .annotate(amount=Sum("balance"))
        .order_by()
    )
    by_date = {item["as_of"]: item["amount"] for item in sums}
    series = {}
    for label, y in (("this_year", year), ("last_year", year - 1)):
        values = []
        for month in range(1, 13):
            day = month_end(y, month)
            value = by_date.get(day)
            if y == year and month == scope.as_of.month and portfolio.live:
                value = portfolio.total.balance
            elif day > scope.as_of:
                value = None
            values.append(value)
        series[label] = values
    return series
