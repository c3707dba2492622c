"""The figures of a scope, as the dashboard, the API and the report show them, and the
labels of their breakdowns."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from loans.domain import Bucket, RiskClass
from loans.models import BorrowerType, Product

ZERO = Decimal("0.00")

PRODUCT_LABELS = dict(Product.choices)
BORROWER_TYPE_LABELS = dict(BorrowerType.choices)
CLASS_LABELS = {str(value): label for value, label in RiskClass.choices}
BUCKET_LABELS = dict(Bucket.choices)


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


@dataclass
class Portfolio:
    """Figures of a scope on a date, in total, per branch and per officer."""

    as_of: dt.date
    figures_date: dt.date
    live: bool
    total: Figures
    by_branch: dict
    by_officer: dict
