import datetime as dt
from decimal import Decimal

import factory

from accounts.factories import BranchFactory
from dashboard.models import PortfolioSnapshot, SnapshotSource


class PortfolioSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioSnapshot

    as_of = dt.date(2025, 12, 31)
    branch = factory.SubFactory(BranchFactory)
    officer = None
    balance = Decimal("1000000.00")
    npl_balance = Decimal("0.00")
    overdue_balance = Decimal("0.00")
    loan_count = 10
    by_class = factory.LazyAttribute(lambda s: {"1": str(s.balance)})
    by_bucket = factory.LazyAttribute(lambda s: {"current": str(s.balance)})
    source = SnapshotSource.IMPORT
