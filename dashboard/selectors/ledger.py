"""Today's figures, from the ledger itself (kept in the cache until the ledger changes)."""

import hashlib
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from core.registry import DashboardScope
from dashboard.selectors.figures import ZERO
from dashboard.selectors.scope import scoped, today
from loans.domain import NON_PERFORMING_CLASSES
from loans.models import Loan, LoanStatus

TOP_OVERDUE = 10


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


def top_overdue_borrowers(scope: DashboardScope, *, limit: int = TOP_OVERDUE) -> list[dict]:
    """The borrowers with the largest overdue balance in the ledger today (cached with
    today's figures)."""
    return _ledger_cached(
        f"overdue{limit}", scope.branch_ids, scope.officer_id, lambda: _top_overdue_borrowers(scope, limit)
    )


def _top_overdue_borrowers(scope: DashboardScope, limit: int) -> list[dict]:
    loans = scoped(Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due__gt=0), scope)
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
