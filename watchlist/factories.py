import datetime as dt

import factory

from loans.factories import LoanFactory
from watchlist.models import Reason, WatchlistEntry


class WatchlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchlistEntry

    loan = factory.SubFactory(LoanFactory)
    branch = factory.SelfAttribute("loan.branch")
    officer = factory.SelfAttribute("loan.officer")
    reasons = factory.LazyFunction(lambda: [Reason.RESTRICTED_INDUSTRY.value])
    details = factory.LazyFunction(lambda: {Reason.RESTRICTED_INDUSTRY.value: "C26 化学原料和化学制品制造业"})
    first_flagged_on = dt.date(2026, 11, 20)
    last_seen_on = dt.date(2026, 11, 30)
