import datetime as dt
from decimal import Decimal

import factory

from loans.factories import LoanFactory
from screening.models import DownPaymentReceipt


class DownPaymentReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DownPaymentReceipt

    loan = factory.SubFactory(
        LoanFactory, property_project="东湖花园", developer="衡东县东湖房地产开发有限公司"
    )
    receipt_no = factory.Sequence(lambda n: f"SF{n:06d}")
    paid_on = dt.date(2025, 5, 20)
    receipt_amount = Decimal("150000.00")
    statement_amount = Decimal("150000.00")
    recorded_by = factory.SelfAttribute("loan.officer")
