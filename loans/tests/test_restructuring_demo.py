import datetime as dt

import pytest

from loans import demo, demo_restructuring
from loans.factories import BorrowerFactory, LoanFactory
from loans.models import Loan, Restructuring, RestructuringSource, RestructuringStatus
from loans.tests.test_demo import demo_ledger

pytestmark = pytest.mark.django_db


def test_demo_restructurings_show_each_case_once():
    loans = demo_ledger()
    today = dt.date.today()
    LoanFactory(
        borrower=BorrowerFactory(branch=loans[0].branch, officer=loans[0].officer),
        disbursed_on=today - dt.timedelta(days=500),
        matures_on=today + dt.timedelta(days=1000),
        days_past_due=120,
        bucket="91-180",
        risk_class=3,
        as_of=today,
    )
    demo.seed()
    demo_restructuring.seed()
    assert Restructuring.objects.filter(status=RestructuringStatus.PROPOSED).count() == 1
    assert Restructuring.objects.filter(source=RestructuringSource.IMPORT).count() == 1
    npl = Restructuring.objects.get(old_risk_class=3)
    assert npl.status == RestructuringStatus.APPROVED and npl.class_floor == 3
    assert Loan.objects.filter(restructured=True).count() == 3
    count = Restructuring.objects.count()
    demo_restructuring.seed()
    assert Restructuring.objects.count() == count
