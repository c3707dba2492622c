"""Demo snapshots so the dashboard tells the branch's story from the first login.

Runs after the ledger demo (about 1,200 loans, 219,210,000.00 at the last month end, no
NPL). Builds the last month end from the ledger, then history scaled from it: 1 January of
this year at 200,250,000.00 (so the change since the start of the year is +18,960,000.00),
the month ends in between, last year's month ends, and ten year-ends with no NPL. Nothing
happens without loans; running it again rewrites the same rows. Last, each branch's report
for the month just over, so the reports page is not empty on the first visit.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from core.demo_output import say
from dashboard.models import PortfolioSnapshot, SnapshotSource
from dashboard.selectors import month_end
from dashboard.services import monthly_report_generate, snapshot_build
from loans.demo import bring_current
from loans.models import Loan

YEAR_START_BALANCE = Decimal("200250000.00")
CENT = Decimal("0.01")
BREAKDOWNS = ("by_product", "by_borrower_type", "by_class", "by_bucket")


def _split(total: Decimal, weights: dict) -> dict:
    """Share ``total`` by ``weights`` in cents; the rounding rest goes to the largest."""
    weight_sum = sum(weights.values(), Decimal(0))
    if not weight_sum:
        return dict.fromkeys(weights, Decimal("0.00"))
    shares = {key: (total * w / weight_sum).quantize(CENT, ROUND_HALF_UP) for key, w in weights.items()}
    largest = max(weights, key=lambda key: weights[key])
    shares[largest] += total - sum(shares.values(), Decimal(0))
    return shares


def _history_rows(
    base_rows: list[PortfolioSnapshot], as_of: dt.date, total: Decimal
) -> list[PortfolioSnapshot]:
    shares = _split(total, {row.officer_id: row.balance for row in base_rows})
    made = []
    for row in base_rows:
        amount = shares[row.officer_id]
        factor = amount / row.balance
        breakdowns = {}
        for name in BREAKDOWNS:
            source = {key: Decimal(value) for key, value in getattr(row, name).items()}
            if name == "by_class":  # history without NPL: anything worse sits in special mention
                for key in ("3", "4", "5"):
                    if key in source:
                        source["2"] = source.get("2", Decimal(0)) + source.pop(key)
            breakdowns[name] = {key: str(value) for key, value in _split(amount, source).items()}
        made.append(
            PortfolioSnapshot(
                as_of=as_of,
                branch_id=row.branch_id,
                officer_id=row.officer_id,
                balance=amount,
                npl_balance=Decimal("0.00"),
                overdue_balance=min(amount, (row.overdue_balance * factor).quantize(CENT)),
                loan_count=int(row.loan_count * factor) or 1,
                source=SnapshotSource.IMPORT,
                **breakdowns,
            )
        )
    return made


def _plan(last_month_end: dt.date, ledger_total: Decimal) -> dict[dt.date, Decimal]:
    """Total balance per history date: a steady climb with a seasonal wiggle."""
    year = timezone.localdate().year
    jan1 = dt.date(year, 1, 1)
    plan = {jan1: YEAR_START_BALANCE, dt.date(year - 1, 12, 31): YEAR_START_BALANCE}
    months_this_year = [month_end(year, m) for m in range(1, 13) if month_end(year, m) < last_month_end]
    steps = len(months_this_year) + 1
    for index, day in enumerate(months_this_year, start=1):
        wiggle = Decimal(((index * 7) % 5) - 2) * Decimal("300000")
        plan[day] = (
            YEAR_START_BALANCE + (ledger_total - YEAR_START_BALANCE) * index / steps + wiggle
        ).quantize(CENT)
    last_year_start = YEAR_START_BALANCE * Decimal("0.93")
    for month in range(1, 12):
        plan[month_end(year - 1, month)] = (
            last_year_start + (YEAR_START_BALANCE - last_year_start) * month / 12
        ).quantize(CENT)
    for back in range(2, 11):
        plan[dt.date(year - back, 12, 31)] = (YEAR_START_BALANCE * Decimal(0.93) ** (back - 1)).quantize(CENT)
    return {day: amount for day, amount in plan.items() if day != last_month_end}


def seed(*, stdout=None) -> None:
    if not Loan.objects.exists():
        return
    last_month_end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    with transaction.atomic():
        # Taken once, from the imported figures (219,210,000.00): later runs keep it.
        if not PortfolioSnapshot.objects.filter(as_of=last_month_end).exists():
            snapshot_build(as_of=last_month_end)
        base_rows = [
            row
            for row in PortfolioSnapshot.objects.filter(as_of=last_month_end).order_by(
                "branch_id", "officer_id"
            )
            if row.balance > 0
        ]
        if not base_rows:
            return
        ledger_total = sum((row.balance for row in base_rows), Decimal(0))
        plan = _plan(last_month_end, ledger_total)
        PortfolioSnapshot.objects.filter(as_of__in=list(plan)).delete()
        history = []
        for day, total in sorted(plan.items()):
            history.extend(_history_rows(base_rows, day, total))
        PortfolioSnapshot.objects.bulk_create(history, batch_size=2000)
    # Last of the demo: loans current at the import pay their instalments due since then.
    paid = bring_current(today=timezone.localdate())
    # The reports page opens on last month's report, as it would after the 1st's job (no email).
    branch_ids = sorted({row.branch_id for row in base_rows})
    for branch_id in branch_ids:
        monthly_report_generate(branch_id=branch_id, month=last_month_end.replace(day=1), email=False)
    say(
        stdout,
        f"dashboard: snapshot {last_month_end} from the ledger ({ledger_total}) and {len(plan)} past dates; "
        f"{paid} instalments due since the import paid on time; {len(branch_ids)} monthly reports",
    )
