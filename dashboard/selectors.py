"""Reads for the dashboard, the summary API and the monthly report.

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
"""

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import OVERSIGHT_ROLES, WHOLE_BRANCH_ROLES, profile_of, role_of, visible_branch_ids
from accounts.models import Branch
from core.registry import DashboardScope
from dashboard.models import PortfolioSnapshot
from loans.domain import NON_PERFORMING_CLASSES, Bucket, RiskClass
from loans.models import BorrowerType, Loan, LoanStatus, Product

ZERO = Decimal("0.00")
TOP_OVERDUE = 10


def today() -> dt.date:
    return timezone.localdate()


def as_of_parse(value: str | None) -> dt.date:
    """The date asked for (today when empty); a clear ValidationError otherwise."""
    if value in (None, ""):
        return today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-10-31."), params={"value": value}
        ) from None
    if day > today():
        raise ValidationError(
            _("The date %(day)s is in the future: figures exist up to today."), params={"day": day}
        )
    return day


def dashboard_scope(user, *, as_of: dt.date, branch_code: str | None = None) -> DashboardScope:
    """What the user may see: an officer their own portfolio in their branch; a branch head,
    compliance officer or administrator every visible branch, or the one named (404 when it
    is not theirs to see)."""
    role = role_of(user)
    visible = visible_branch_ids(user)
    if role is None or not visible:
        raise Http404(_("You have no branch to look at."))
    if role in WHOLE_BRANCH_ROLES:
        officer_id = None
        branch_ids = visible
    else:
        officer_id = user.pk
        branch_ids = frozenset({profile_of(user).branch_id})
    if branch_code:
        branch = Branch.objects.filter(code=branch_code, id__in=branch_ids).only("id").first()
        if branch is None:
            raise Http404(_("No branch with that code is yours to see."))
        branch_ids = frozenset({branch.pk})
    return DashboardScope(user=user, branch_ids=frozenset(branch_ids), officer_id=officer_id, as_of=as_of)


def _scoped(queryset, scope: DashboardScope):
    queryset = queryset.filter(branch_id__in=scope.branch_ids)
    if scope.officer_id is not None:
        queryset = queryset.filter(officer_id=scope.officer_id)
    return queryset


@dataclass
class Figures:
    balance: Decimal = ZERO
    npl_balance: Decimal = ZERO
    overdue_balance: Decimal = ZERO
    loan_count: int = 0
    by_product: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_borrower_type: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_class: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_bucket: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def npl_ratio(self) -> Decimal:
        if not self.balance:
            return Decimal("0.0000")
        return (self.npl_balance / self.balance).quantize(Decimal("0.0001"))

    def add(self, row: dict, *, breakdowns: bool = True) -> None:
        self.balance += Decimal(row["balance"])
        self.npl_balance += Decimal(row["npl_balance"])
        self.overdue_balance += Decimal(row["overdue_balance"])
        self.loan_count += row["loan_count"]
        if not breakdowns:
            return
        for name in ("by_product", "by_borrower_type", "by_class", "by_bucket"):
            target = getattr(self, name)
            for key, amount in row[name].items():
                target[str(key)] += Decimal(amount)


def ledger_rows(*, branch_ids, officer_id: int | None = None, borrower_type: bool = True) -> list[dict]:
    """The ledger folded into one row per branch and officer, in the snapshot's shape.

    One GROUP BY over active loans (branch, officer, product, borrower type, class,
    bucket); the few thousand groups are folded here. The borrower type needs a join with
    the borrowers that doubles the cost: the live dashboard, which does not show it, skips it."""
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE, branch_id__in=branch_ids)
    if officer_id is not None:
        loans = loans.filter(officer_id=officer_id)
    keys = ["branch_id", "officer_id", "product", "risk_class", "bucket"]
    if borrower_type:
        keys.append("borrower__borrower_type")
    groups = (
        loans.values(*keys)
        .annotate(
            amount=Sum("balance"),
            overdue=Sum("balance", filter=Q(days_past_due__gt=0)),
            count=Count("id"),
        )
        .order_by()
    )
    rows: dict[tuple, dict] = {}
    for group in groups:
        key = (group["branch_id"], group["officer_id"])
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "branch_id": key[0],
                "officer_id": key[1],
                "balance": ZERO,
                "npl_balance": ZERO,
                "overdue_balance": ZERO,
                "loan_count": 0,
                "by_product": defaultdict(lambda: ZERO),
                "by_borrower_type": defaultdict(lambda: ZERO),
                "by_class": defaultdict(lambda: ZERO),
                "by_bucket": defaultdict(lambda: ZERO),
            }
        amount = group["amount"] or ZERO
        row["balance"] += amount
        if group["risk_class"] in NON_PERFORMING_CLASSES:
            row["npl_balance"] += amount
        row["overdue_balance"] += group["overdue"] or ZERO
        row["loan_count"] += group["count"]
        row["by_product"][group["product"]] += amount
        if borrower_type:
            row["by_borrower_type"][group["borrower__borrower_type"]] += amount
        row["by_class"][str(group["risk_class"])] += amount
        row["by_bucket"][group["bucket"]] += amount
    for row in rows.values():
        for name in ("by_product", "by_borrower_type", "by_class", "by_bucket"):
            row[name] = {key: str(value) for key, value in row[name].items()}
    return list(rows.values())


# Today's figures are an aggregate over every active loan of the scope (a few hundred ms at
# a city branch's 100,000 loans), so they are kept in the cache until the ledger changes:
# loans.services.ledger_changed runs ledger_figures_changed (LEDGER_CHANGE_HANDLERS), which
# moves the version on. The expiry bounds how stale a write that bypasses the hook can leave them.
LEDGER_FIGURES_TTL = 5 * 60
LEDGER_VERSION_KEY = "dashboard:ledger-version"


def ledger_version() -> str:
    version = cache.get(LEDGER_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(LEDGER_VERSION_KEY, version, None)
    return version


def ledger_version_bump() -> None:
    cache.set(LEDGER_VERSION_KEY, uuid.uuid4().hex, None)


def _ledger_cached(kind: str, branch_ids, officer_id: int | None, compute):
    ids = ",".join(str(i) for i in sorted(branch_ids))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:24]
    key = f"dashboard:{kind}:{ledger_version()}:{today()}:{digest}:{officer_id or 0}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, LEDGER_FIGURES_TTL)
    return value


def ledger_rows_cached(*, branch_ids, officer_id: int | None = None) -> list[dict]:
    return _ledger_cached(
        "ledger",
        branch_ids,
        officer_id,
        lambda: ledger_rows(branch_ids=branch_ids, officer_id=officer_id, borrower_type=False),
    )


SNAPSHOT_FIELDS = (
    "branch_id",
    "officer_id",
    "balance",
    "npl_balance",
    "overdue_balance",
    "loan_count",
    "by_product",
    "by_borrower_type",
    "by_class",
    "by_bucket",
)


def snapshot_date_on_or_before(scope: DashboardScope, day: dt.date) -> dt.date | None:
    return _scoped(PortfolioSnapshot.objects.filter(as_of__lte=day), scope).aggregate(last=Max("as_of"))[
        "last"
    ]


def snapshot_rows(scope: DashboardScope, day: dt.date) -> list[dict]:
    return list(_scoped(PortfolioSnapshot.objects.filter(as_of=day), scope).values(*SNAPSHOT_FIELDS))


BREAKDOWN_FIELDS = ("by_product", "by_borrower_type", "by_class", "by_bucket")


def snapshot_totals(scope: DashboardScope, day: dt.date) -> tuple[list[dict], dict]:
    """The rows of a date without their breakdowns, and the breakdowns summed in SQL (a city
    branch has hundreds of rows a date: decoding their JSON in Python is the slow part)."""
    rows = list(
        _scoped(PortfolioSnapshot.objects.filter(as_of=day), scope).values(
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


@dataclass
class Portfolio:
    """Figures of a scope on a date, in total, per branch and per officer."""

    as_of: dt.date
    figures_date: dt.date
    live: bool
    total: Figures
    by_branch: dict
    by_officer: dict


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


def year_start_balances(scope: DashboardScope) -> tuple[Decimal | None, dict]:
    """Balance at the start of the as-of year, in total and per branch: the 1 January
    snapshot, else the 31 December one before it. (None, {}) when neither exists."""
    jan1 = dt.date(scope.as_of.year, 1, 1)
    dec31 = jan1 - dt.timedelta(days=1)
    sums = (
        _scoped(PortfolioSnapshot.objects.filter(as_of__in=[jan1, dec31]), scope)
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
        _scoped(PortfolioSnapshot.objects.filter(as_of__lte=scope.as_of), scope)
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
        _scoped(
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


def top_overdue_borrowers(scope: DashboardScope, *, limit: int = TOP_OVERDUE) -> list[dict]:
    """The borrowers with the largest overdue balance in the ledger today (cached with
    today's figures)."""
    return _ledger_cached(
        f"overdue{limit}", scope.branch_ids, scope.officer_id, lambda: _top_overdue_borrowers(scope, limit)
    )


def _top_overdue_borrowers(scope: DashboardScope, limit: int) -> list[dict]:
    loans = _scoped(Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due__gt=0), scope)
    return list(
        loans.values(
            "borrower_id",
            "borrower__name",
            "borrower__id_number",
            "borrower__borrower_type",
            "borrower__officer_id",
        )
        .annotate(overdue=Sum("balance"), days=Max("days_past_due"), loans=Count("id"))
        .order_by("-overdue", "borrower_id")[:limit]
    )


def officer_names(officer_ids) -> dict:
    User = get_user_model()
    names = {}
    for user_id, username, full_name in User.objects.filter(id__in=[i for i in officer_ids if i]).values_list(
        "id", "username", "profile__full_name"
    ):
        names[user_id] = full_name or username
    return names


def branches_by_id(branch_ids) -> dict:
    return {branch.pk: branch for branch in Branch.objects.filter(id__in=branch_ids).order_by("code")}


PRODUCT_LABELS = dict(Product.choices)
BORROWER_TYPE_LABELS = dict(BorrowerType.choices)
CLASS_LABELS = {str(value): label for value, label in RiskClass.choices}
BUCKET_LABELS = dict(Bucket.choices)


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


def user_can_compare(user) -> bool:
    return role_of(user) in OVERSIGHT_ROLES
