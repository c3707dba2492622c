import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Count, Sum

from accounts import demo as accounts_demo
from ledger_import import demo
from ledger_import.models import ImportBatch
from loans.domain import RiskClass
from loans.models import Borrower, Loan


@pytest.mark.slow
@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
def test_the_demo_ledger_tells_the_branchs_story_and_is_imported_once():
    accounts_demo.seed()
    demo.seed()
    loans = Loan.objects.filter(branch__code="430424")
    assert 1150 <= loans.count() <= 1250
    assert loans.aggregate(total=Sum("balance"))["total"] == Decimal("219210000.00")
    assert set(loans.values_list("as_of", flat=True)) == {dt.date(2026, 10, 31)}
    assert not loans.filter(risk_class__gte=RiskClass.SUBSTANDARD).exists()
    overdue = loans.filter(days_past_due__gt=0)
    assert 24 <= overdue.count() <= 60
    assert not overdue.exclude(risk_class=RiskClass.SPECIAL_MENTION).exists()
    assert overdue.filter(days_past_due__lt=90).count() == overdue.count()
    assert loans.values("product").distinct().count() == 5
    # Working capital loans include the corporate interest-settlement methods (结息日 the 20th).
    methods = set(loans.filter(product="working_capital").values_list("repayment_method", flat=True))
    assert {"monthly_settlement", "quarterly_settlement"} <= methods
    assert loans.values("officer__profile__employee_no").annotate(n=Count("id")).count() == 8
    east_lake = loans.filter(property_project="东湖花园")
    assert east_lake.filter(borrower__employer="衡东县东湖房地产开发有限公司").count() > east_lake.count() / 2
    assert Borrower.objects.filter(industry_code="C26").count() >= 2

    demo.seed()  # idempotent: the demo batch is found and nothing is imported again
    assert ImportBatch.objects.count() == 1
