"""Today's figures, from the ledger itself (kept in the cache until the ledger changes)."""

import hashlib
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Count, Max, Q, Sum

from accounts.models import Branch
from core.registry import DashboardScope
from dashboard.selectors.figures import ZERO
from dashboard.selectors.scope import scoped, today
from loans.domain import NON_PERFORMING_CLASSES
from loans.models import Borrower, Loan, LoanStatus

TOP_OVERDUE = 10
LEDGER_ROWS_WORK_MEM = "64MB"


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
            # COUNT(*), not COUNT(id): id is not in loan_figures_idx, and counting it made
            # PostgreSQL read the table instead of the index alone (a million loans: 679 ms
            # hashed from the table against 351 ms grouped in index order).
            count=Count("*"),
        )
        .order_by()
    )
    # At a province's million loans the planner's estimate passes jit_above_cost, and
    # compiling the expressions costs more (~0.5 s) than it saves: off for this query. The
    # 34,000 groups of a million loans spill the sort to disk with the default work_mem (4 MB;
    # EXPLAIN in bench/RESULTS.md); with 64 MB they are hashed in memory.
    with transaction.atomic(using=groups.db), connections[groups.db].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = %s", [LEDGER_ROWS_WORK_MEM])
        groups = list(groups)
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


# Today's figures are an aggregate over every active loan of the scope (about a second at a
# province's 1,000,000 loans), so they are kept in the cache per branch, under each branch's
# version. loans.services.ledger_changed runs ledger_figures_changed (LEDGER_CHANGE_HANDLERS):
# a change of a few branches (a repayment) moves those branches' versions on, and the next
# load computes them (milliseconds); a change of many (an import, the daily recompute) queues
# ledger_figures_refresh, which computes every branch first and only then moves the versions
# on, so no request computes a city. Beat runs the refresh every four minutes
# (branch_ops/settings/schedule.py), within the expiry, so the figures are always in the
# cache. ledger_version_bump moves every branch on at once. The expiry bounds how stale a
# write that bypasses the hook (or a loan an import moved to another branch: the hook knows
# its new branch only) can leave them.
LEDGER_FIGURES_TTL = 5 * 60
LEDGER_VERSION_KEY = "dashboard:ledger-version"
BRANCH_VERSION_KEY = "dashboard:ledger-branch-version:{}"


def ledger_version() -> str:
    version = cache.get(LEDGER_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(LEDGER_VERSION_KEY, version, None)
    return version


def ledger_version_bump() -> None:
    """Every branch's cached figures are out of date."""
    cache.set(LEDGER_VERSION_KEY, uuid.uuid4().hex, None)


def ledger_branches_bump(branch_ids) -> None:
    """These branches' cached figures are out of date (one cache round trip)."""
    cache.set_many({BRANCH_VERSION_KEY.format(b): uuid.uuid4().hex for b in branch_ids}, None)


def _branch_versions(branch_ids) -> dict[int, str]:
    """Each branch's version (the global one and its own), in one round trip; a branch seen
    for the first time gets one."""
    keys = {BRANCH_VERSION_KEY.format(b): b for b in branch_ids}
    found = cache.get_many(list(keys))
    new = {key: uuid.uuid4().hex for key in keys if key not in found}
    if new:
        cache.set_many(new, None)
        found |= new
    version = ledger_version()
    return {branch_id: f"{version}.{found[key]}" for key, branch_id in keys.items()}


def _rows_key(branch_id: int, version: str) -> str:
    return f"dashboard:ledger-rows:{today()}:{branch_id}:{version}"


def ledger_rows_cached(*, branch_ids, officer_id: int | None = None) -> list[dict]:
    """ledger_rows of the branches (without the borrower type), each branch's rows from the
    cache; the branches missing there are computed in one GROUP BY and cached. Constant
    queries: none when every branch is cached, one otherwise."""
    versions = _branch_versions(branch_ids)
    keys = {_rows_key(branch_id, version): branch_id for branch_id, version in versions.items()}
    cached = cache.get_many(list(keys))
    by_branch = {keys[key]: rows for key, rows in cached.items()}
    missing = [branch_id for branch_id in versions if branch_id not in by_branch]
    if missing:
        fresh = {branch_id: [] for branch_id in missing}
        for row in ledger_rows(branch_ids=missing, borrower_type=False):
            fresh[row["branch_id"]].append(row)
        cache.set_many(
            {_rows_key(branch_id, versions[branch_id]): rows for branch_id, rows in fresh.items()},
            LEDGER_FIGURES_TTL,
        )
        by_branch |= fresh
    rows = [row for branch_rows in by_branch.values() for row in branch_rows]
    if officer_id is not None:
        rows = [row for row in rows if row["officer_id"] == officer_id]
    return rows


def ledger_figures_refresh() -> int:
    """Compute today's figures of every branch (one GROUP BY), cache them under new versions,
    then move each branch's version on to them: refresh, then swap. A dashboard loaded
    meanwhile reads the figures from before, and never computes a city's million loans. A
    branch whose version moved while this ran (a repayment) keeps that move, so its next load
    computes it. Run by the worker after a change of many branches (ledger_figures_changed)
    and by beat every four minutes. Returns the number of branches swapped."""
    branch_ids = list(Branch.objects.values_list("id", flat=True))
    before = _branch_versions(branch_ids)
    fresh: dict[int, list[dict]] = {branch_id: [] for branch_id in branch_ids}
    for row in ledger_rows(branch_ids=branch_ids, borrower_type=False):
        fresh[row["branch_id"]].append(row)
    new = {branch_id: uuid.uuid4().hex for branch_id in branch_ids}
    version = ledger_version()
    cache.set_many(
        {_rows_key(branch_id, f"{version}.{new[branch_id]}"): rows for branch_id, rows in fresh.items()},
        LEDGER_FIGURES_TTL,
    )
    now = _branch_versions(branch_ids)
    unmoved = [branch_id for branch_id in branch_ids if now[branch_id] == before[branch_id]]
    cache.set_many({BRANCH_VERSION_KEY.format(branch_id): new[branch_id] for branch_id in unmoved}, None)
    return len(unmoved)


def top_overdue_borrowers(scope: DashboardScope, *, limit: int = TOP_OVERDUE) -> list[dict]:
    """The borrowers with the largest overdue balance in the ledger today (cached with
    today's figures)."""
    versions = _branch_versions(scope.branch_ids)
    digest = hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()[:32]
    key = f"dashboard:overdue{limit}:{today()}:{digest}:{scope.officer_id or 0}"
    value = cache.get(key)
    if value is None:
        value = _top_overdue_borrowers(scope, limit)
        cache.set(key, value, LEDGER_FIGURES_TTL)
    return value


def _top_overdue_borrowers(scope: DashboardScope, limit: int) -> list[dict]:
    """Two queries: the overdue loans grouped by borrower id alone (read through the partial
    index of overdue loans), then the few borrowers on top by id. Grouping by the borrowers'
    names in one query joined every borrower of the scope first (2.6 s at a million loans)."""
    loans = scoped(Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due__gt=0), scope)
    top = list(
        loans.values("borrower_id")
        .annotate(overdue=Sum("balance"), days=Max("days_past_due"), loans=Count("id"))
        .order_by("-overdue", "borrower_id")[:limit]
    )
    people = {
        person["id"]: person
        for person in Borrower.objects.filter(id__in=[item["borrower_id"] for item in top]).values(
            "id", "name", "id_number", "borrower_type", "officer_id"
        )
    }
    return [
        {
            **item,
            **{f"borrower__{name}": people[item["borrower_id"]][name] for name in BORROWER_FIELDS},
        }
        for item in top
    ]


BORROWER_FIELDS = ("name", "id_number", "borrower_type", "officer_id")
