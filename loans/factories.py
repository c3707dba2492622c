import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.factories import BranchFactory, StaffProfileFactory
from accounts.models import Role
from loans.identifiers import make_credit_code, make_resident_id
from loans.models import (
    Borrower,
    BorrowerType,
    Collateral,
    CollateralKind,
    Guarantee,
    Guarantor,
    IndustryPolicy,
    Loan,
    PolicyLevel,
    Product,
    Repayment,
    RepaymentMethod,
    RepaymentSource,
    Restructuring,
    RestructuringKind,
    RestructuringStatus,
    ScheduleLine,
)


def _officer_for(branch):
    return StaffProfileFactory(branch=branch, role=Role.OFFICER).user


class BorrowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borrower

    borrower_type = BorrowerType.INDIVIDUAL
    name = factory.Sequence(lambda n: f"借款人{n}")
    id_number = factory.Sequence(
        lambda n: make_resident_id("430424", dt.date(1980, 1, 1) + dt.timedelta(days=n), n)
    )
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    branch = factory.SubFactory(BranchFactory)
    officer = factory.LazyAttribute(lambda borrower: _officer_for(borrower.branch))

    class Params:
        corporate = factory.Trait(
            borrower_type=BorrowerType.CORPORATE,
            name=factory.Sequence(lambda n: f"衡东测试有限公司{n}"),
            id_number=factory.Sequence(lambda n: make_credit_code("430424", 100000 + n)),
            industry_code="C13",
            industry_name="农副食品加工业",
        )


class LoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Loan

    loan_no = factory.Sequence(lambda n: f"JJ{n:010d}")
    contract_no = factory.Sequence(lambda n: f"HT{n:08d}")
    borrower = factory.SubFactory(BorrowerFactory)
    branch = factory.SelfAttribute("borrower.branch")
    officer = factory.SelfAttribute("borrower.officer")
    product = Product.CONSUMER
    guarantee = Guarantee.CREDIT
    disbursed_on = dt.date(2025, 6, 15)
    matures_on = dt.date(2028, 6, 15)
    principal = Decimal("100000.00")
    balance = Decimal("80000.00")
    annual_rate = Decimal("4.3500")
    repayment_method = RepaymentMethod.EQUAL_INSTALMENT
    repayment_day = 15


class CollateralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collateral

    loan = factory.SubFactory(LoanFactory, guarantee=Guarantee.MORTGAGE)
    kind = CollateralKind.HOUSE
    description = "衡东县城关镇住宅一套"
    appraised_value = Decimal("600000.00")
    appraised_on = dt.date(2025, 6, 1)
    registration_no = factory.Sequence(lambda n: f"湘(2025)衡东县不动产权第{n:07d}号")


class GuarantorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guarantor

    loan = factory.SubFactory(LoanFactory, guarantee=Guarantee.SURETY)
    guarantor_type = BorrowerType.INDIVIDUAL
    name = factory.Sequence(lambda n: f"保证人{n}")
    id_number = factory.Sequence(
        lambda n: make_resident_id("430421", dt.date(1975, 3, 1) + dt.timedelta(days=n), n)
    )
    relation = "亲属"


class ScheduleLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleLine

    loan = factory.SubFactory(LoanFactory)
    seq = factory.Sequence(lambda n: n + 1)
    due_on = dt.date(2026, 12, 15)
    principal_due = Decimal("2600.00")
    interest_due = Decimal("300.00")


class RepaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repayment

    loan = factory.SubFactory(LoanFactory)
    paid_on = dt.date(2026, 11, 15)
    principal = Decimal("2600.00")
    interest = Decimal("300.00")
    source = RepaymentSource.IMPORT
    reference = factory.Sequence(lambda n: f"LS{n:012d}")


class IndustryPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryPolicy
        django_get_or_create = ("code",)

    code = "C26"
    name = "化学原料和化学制品制造业"
    level = PolicyLevel.RESTRICTED
    reason = "高污染、高风险行业，严格审查"


class RestructuringFactory(factory.django.DjangoModelFactory):
    """A proposed extension (展期) by the loan's officer."""

    class Meta:
        model = Restructuring

    loan = factory.SubFactory(LoanFactory)
    kinds = factory.LazyFunction(lambda: [RestructuringKind.EXTENSION])
    difficulty = "受疫情影响经营收入下降，短期资金周转困难"
    old_matures_on = factory.SelfAttribute("loan.matures_on")
    old_annual_rate = factory.SelfAttribute("loan.annual_rate")
    old_repayment_method = factory.SelfAttribute("loan.repayment_method")
    old_repayment_day = factory.SelfAttribute("loan.repayment_day")
    old_balance = factory.SelfAttribute("loan.balance")
    old_risk_class = factory.SelfAttribute("loan.risk_class")
    new_matures_on = factory.LazyAttribute(
        lambda r: r.loan.matures_on.replace(year=r.loan.matures_on.year + 2)
    )
    new_annual_rate = factory.SelfAttribute("loan.annual_rate")
    new_repayment_method = factory.SelfAttribute("loan.repayment_method")
    new_repayment_day = factory.SelfAttribute("loan.repayment_day")
    status = RestructuringStatus.PROPOSED
    proposed_by = factory.SelfAttribute("loan.officer")
    proposed_at = factory.LazyFunction(timezone.now)
