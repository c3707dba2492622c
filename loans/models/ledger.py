"""The loan ledger (借据台账): borrowers and loans. Money is DecimalField in yuan with two
places; invariants are database constraints, so no import, API or bulk write can break them."""

import functools
import operator

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from loans.domain import _FLOOR_LIMITS, Bucket, RiskClass
from loans.models.common import HISTORY_EXCLUDE, MONEY


class BorrowerType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")  # 个人
    CORPORATE = "corporate", _("Corporate")  # 对公


class Product(models.TextChoices):
    HOUSING = "housing", _("Personal housing loan")  # 个人住房贷款
    CONSUMER = "consumer", _("Personal consumer loan")  # 个人消费贷款
    PERSONAL_BUSINESS = "personal_business", _("Personal business loan")  # 个人经营贷款
    WORKING_CAPITAL = "working_capital", _("Working capital loan")  # 流动资金贷款
    FIXED_ASSET = "fixed_asset", _("Fixed asset loan")  # 固定资产贷款


class Guarantee(models.TextChoices):
    CREDIT = "credit", _("Unsecured")  # 信用
    SURETY = "surety", _("Guaranteed")  # 保证
    MORTGAGE = "mortgage", _("Mortgage")  # 抵押
    PLEDGE = "pledge", _("Pledge")  # 质押


class RepaymentMethod(models.TextChoices):
    EQUAL_INSTALMENT = "equal_instalment", _("Equal instalments")  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal")  # 等额本金
    INTEREST_ONLY = "interest_only", _("Monthly interest, principal at maturity")  # 按月付息到期还本
    BULLET = "bullet", _("Principal and interest at maturity")  # 利随本清
    # Corporate loans: interest on the 20th, principal at maturity (loans.schedules).
    MONTHLY_SETTLEMENT = "monthly_settlement", _("Monthly interest settlement")  # 按月结息
    QUARTERLY_SETTLEMENT = "quarterly_settlement", _("Quarterly interest settlement")  # 按季结息


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SETTLED = "settled", _("Settled")
    WRITTEN_OFF = "written_off", _("Written off")


def _risk_class_floor_condition() -> Q:
    """The classification floor (loans.domain._FLOOR_LIMITS) as a check: for each limit,
    the loan is at most that many days past due or at least in that class. "At most 0 days"
    is written "0 days" and "at least loss" is written "loss": the form the constraint was
    first migrated with, so that the generated condition needs no new migration."""
    parts = []
    for limit, floor in _FLOOR_LIMITS:
        within = Q(days_past_due=0) if limit == 0 else Q(days_past_due__lte=limit)
        at_least = Q(risk_class=floor) if floor == RiskClass.LOSS else Q(risk_class__gte=floor)
        parts.append(within | at_least)
    return functools.reduce(operator.and_, parts)


@pghistory.track(exclude=HISTORY_EXCLUDE, level=pgtrigger.Statement)
class Borrower(models.Model):
    borrower_type = models.CharField(_("borrower type"), max_length=12, choices=BorrowerType.choices)
    name = models.CharField(_("name"), max_length=100)
    # Resident ID number (个人) or unified social credit code (对公); checksums are
    # validated by the services (loans.identifiers) before anything is saved.
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    industry_code = models.CharField(_("industry code (GB/T 4754)"), max_length=10, blank=True)
    industry_name = models.CharField(_("industry"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_vip = models.BooleanField(_("VIP customer"), default=False)
    contribution_note = models.TextField(_("overall contribution"), blank=True)
    # A corporate borrower's business licence (营业执照) runs out on this day; empty for
    # individuals (a check) and for a licence without a term (长期).
    licence_expires_on = models.DateField(_("business licence expires on"), null=True, blank=True)
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="borrowers"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        related_name="borrowers",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("borrower")
        verbose_name_plural = _("borrowers")
        indexes = [
            models.Index(fields=["branch", "officer"]),
            models.Index(fields=["officer"]),
            models.Index(fields=["name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(licence_expires_on__isnull=True) | Q(borrower_type=BorrowerType.CORPORATE),
                name="borrower_licence_corporate_only",
                violation_error_message=_("Only a corporate borrower has a business licence."),
            ),
        ]

    def __str__(self):
        return self.name


@pghistory.track(exclude=[*HISTORY_EXCLUDE, "schedule_terms"], level=pgtrigger.Statement)
class Loan(models.Model):
    loan_no = models.CharField(_("loan number"), max_length=40, unique=True)  # 借据号
    contract_no = models.CharField(_("contract number"), max_length=40, blank=True)
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        Borrower, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    guarantee = models.CharField(_("guarantee"), max_length=12, choices=Guarantee.choices)
    disbursed_on = models.DateField(_("disbursed on"))
    matures_on = models.DateField(_("matures on"))
    principal = models.DecimalField(_("principal"), **MONEY)
    balance = models.DecimalField(_("balance"), **MONEY)
    # Percent a year: 4.35 means 4.35 %.
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    repayment_method = models.CharField(_("repayment method"), max_length=20, choices=RepaymentMethod.choices)
    repayment_day = models.PositiveSmallIntegerField(_("repayment day"))
    overdue_principal = models.DecimalField(_("overdue principal"), default=0, **MONEY)
    overdue_interest = models.DecimalField(_("overdue interest"), default=0, **MONEY)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    bucket = models.CharField(
        _("delinquency bucket"), max_length=8, choices=Bucket.choices, default=Bucket.CURRENT
    )
    risk_class = models.PositiveSmallIntegerField(
        _("five-tier class"), choices=RiskClass.choices, default=RiskClass.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.ACTIVE
    )
    # Restructured assets (loans.domain.restructuring_floor, 2023 measures arts. 17-22): the
    # loan is in an observation period, and the best class it may have meanwhile. Database
    # defaults, so the import's COPY need not name the columns.
    restructured = models.BooleanField(_("restructured"), default=False, db_default=False)
    class_floor = models.PositiveSmallIntegerField(
        _("class floor by restructuring"), choices=RiskClass.choices, default=1, db_default=1
    )
    property_project = models.CharField(_("property project"), max_length=100, blank=True)
    developer = models.CharField(_("developer"), max_length=100, blank=True)
    as_of = models.DateField(_("figures as of"), null=True, blank=True)
    # The terms the schedule was built from (loans.services.schedule_terms_key): when an
    # import changes them, the unpaid part of the schedule is regenerated. A database
    # default, so the import's COPY need not name the column.
    schedule_terms = models.CharField(_("schedule built from"), max_length=120, blank=True, db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["loan_no"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [
            models.Index(fields=["branch", "officer", "status"]),
            models.Index(fields=["officer", "status"]),
            models.Index(fields=["branch", "status", "risk_class"]),
            models.Index(fields=["borrower"]),
            models.Index(fields=["matures_on"]),
            # Collection works on overdue loans only: a small partial index.
            models.Index(
                fields=["branch", "days_past_due"], condition=Q(days_past_due__gt=0), name="loan_overdue_idx"
            ),
            # Today's dashboard figures (dashboard.selectors.ledger_rows): one GROUP BY over the
            # active loans, read from this index alone (an index-only scan in group order, no
            # sort and no visit of the wide table rows).
            models.Index(
                fields=["branch", "officer", "product", "risk_class", "bucket"],
                include=["balance", "days_past_due"],
                condition=Q(status="active"),
                name="loan_figures_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_principal_positive"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="loan_balance_not_negative"),
            models.CheckConstraint(
                condition=Q(balance__lte=F("principal")), name="loan_balance_within_principal"
            ),
            models.CheckConstraint(
                condition=Q(matures_on__gt=F("disbursed_on")), name="loan_matures_after_disbursed"
            ),
            models.CheckConstraint(
                condition=Q(overdue_principal__gte=0) & Q(overdue_interest__gte=0),
                name="loan_overdue_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(overdue_principal__lte=F("balance")), name="loan_overdue_within_balance"
            ),
            models.CheckConstraint(
                condition=Q(annual_rate__gte=0) & Q(annual_rate__lt=36), name="loan_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(repayment_day__gte=1) & Q(repayment_day__lte=31), name="loan_repayment_day"
            ),
            models.CheckConstraint(
                condition=Q(risk_class__gte=1) & Q(risk_class__lte=5), name="loan_risk_class_range"
            ),
            # The 2023 classification measures: days past due set a floor on the class.
            models.CheckConstraint(condition=_risk_class_floor_condition(), name="loan_risk_class_floor"),
            # ... and so does a restructuring during its observation period (loans.domain.class_floor).
            models.CheckConstraint(
                condition=Q(class_floor__gte=1) & Q(class_floor__lte=5) & Q(risk_class__gte=F("class_floor")),
                name="loan_risk_class_restructuring_floor",
            ),
            models.CheckConstraint(
                condition=Q(restructured=True) | Q(class_floor=1), name="loan_class_floor_when_restructured"
            ),
        ]

    def __str__(self):
        return self.loan_no
