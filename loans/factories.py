import datetime as dt
from decimal import Decimal

import factory
from django.db import connection
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


_BULK_BORROWERS = """
INSERT INTO loans_borrower (borrower_type, name, id_number, phone, employer, industry_code, industry_name,
                            address, is_vip, contribution_note, branch_id, officer_id, created_at, updated_at)
SELECT CASE WHEN g %% 10 = 0 THEN 'corporate' ELSE 'individual' END, %(prefix)s || g,
       %(prefix)s || lpad(g::text, 12, '0'), '', '', '', '', '', false, '', o.branch_id, o.officer_id, now(), now()
FROM generate_series(1, %(n)s) g
JOIN unnest(%(officers)s::int[], %(branches)s::int[]) WITH ORDINALITY o(officer_id, branch_id, k)
  ON o.k = 1 + g %% %(width)s"""

# One loan per borrower; every 30th overdue (its class and bucket as the ledger's floors require).
_BULK_LOANS = """
INSERT INTO loans_loan (loan_no, contract_no, branch_id, borrower_id, officer_id, product, guarantee,
                        disbursed_on, matures_on, principal, balance, annual_rate, repayment_method,
                        repayment_day, overdue_principal, overdue_interest, days_past_due, bucket,
                        risk_class, status, property_project, developer, as_of, created_at, updated_at)
SELECT b.id_number, '', b.branch_id, b.id, b.officer_id,
       (ARRAY['housing','consumer','personal_business','working_capital','fixed_asset'])[1 + b.id %% 5],
       (ARRAY['credit','surety','mortgage','pledge'])[1 + b.id %% 4],
       DATE '2024-01-15', DATE '2029-01-15', 100000, 80000, 4.35, 'equal_instalment', 15,
       CASE WHEN b.id %% 30 = 0 THEN 1000 ELSE 0 END, 0,
       CASE WHEN b.id %% 30 = 0 THEN 120 ELSE 0 END,
       CASE WHEN b.id %% 30 = 0 THEN '91-180' ELSE 'current' END,
       CASE WHEN b.id %% 30 = 0 THEN 3 ELSE 1 END,
       'active', '', '', CURRENT_DATE, now(), now()
FROM loans_borrower b WHERE b.id_number LIKE %(prefix)s || '%%'"""


def loans_bulk_create(*, n: int, officers, prefix: str = "BULK") -> None:
    """``n`` borrowers with one active loan each, spread over ``officers`` (users with a
    profile), in two INSERT ... SELECT generate_series statements: the way to a ledger of
    thousands of loans in a test (as bench/run.py builds a province's million)."""
    pairs = [(user.pk, user.profile.branch_id) for user in officers]
    params = {
        "n": n,
        "prefix": prefix,
        "officers": [officer for officer, _branch in pairs],
        "branches": [branch for _officer, branch in pairs],
        "width": len(pairs),
    }
    with connection.cursor() as cursor:
        cursor.execute(_BULK_BORROWERS, params)
        cursor.execute(_BULK_LOANS, params)
