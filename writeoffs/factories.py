from decimal import Decimal

import factory
from django.utils import timezone

from loans.domain import Bucket, RiskClass
from loans.factories import LoanFactory
from writeoffs.models import Grounds, Recovery, RecoverySource, WriteOff, WriteOffStatus


class WriteOffFactory(factory.django.DjangoModelFactory):
    """A proposal on a loss-class loan; ``approved=True`` for a decided one."""

    class Meta:
        model = WriteOff

    loan = factory.SubFactory(
        LoanFactory,
        risk_class=RiskClass.LOSS,
        days_past_due=400,
        bucket=Bucket.OVER_360,
        overdue_principal=Decimal("30000.00"),
        overdue_interest=Decimal("2000.00"),
    )
    grounds = Grounds.COURT
    reason = "法院终结执行"
    principal = factory.LazyAttribute(lambda w: w.loan.balance)
    interest = Decimal("0.00")
    total = factory.LazyAttribute(lambda w: w.principal + w.interest)
    proposed_by = factory.LazyAttribute(lambda w: w.loan.officer)
    proposed_at = factory.LazyFunction(timezone.now)

    class Params:
        approved = factory.Trait(
            status=WriteOffStatus.APPROVED,
            decided_at=factory.LazyFunction(timezone.now),
            written_off_on=factory.LazyFunction(timezone.localdate),
        )


class RecoveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recovery

    write_off = factory.SubFactory(WriteOffFactory)
    recovered_on = factory.LazyFunction(timezone.localdate)
    amount = Decimal("1000.00")
    source = RecoverySource.COLLECTION
    recorded_by = factory.LazyAttribute(lambda r: r.write_off.loan.officer)
