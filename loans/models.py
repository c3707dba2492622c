"""The loan ledger (借据台账): borrowers, loans, collateral, guarantors, schedules and
repayments. Money is DecimalField in yuan with two places; invariants are database
constraints, so no import, API or bulk write can break them."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from loans.domain import Bucket, RiskClass

MONEY = {"max_digits": 16, "decimal_places": 2}
# Change history (django-pghistory): PostgreSQL triggers write an event row for every insert
# and update, so bulk writes (the import's COPY and upsert, the daily recompute's UPDATE) are
# captured like the ORM's. Timestamps alone are not a change worth a history line.
HISTORY_EXCLUDE = ["created_at", "updated_at"]


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


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SETTLED = "settled", _("Settled")
    WRITTEN_OFF = "written_off", _("Written off")


@pghistory.track(exclude=HISTORY_EXCLUDE)
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

    def __str__(self):
        return self.name


@pghistory.track(exclude=HISTORY_EXCLUDE)
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
            models.CheckConstraint(
                condition=(Q(days_past_due=0) | Q(risk_class__gte=RiskClass.SPECIAL_MENTION))
                & (Q(days_past_due__lte=90) | Q(risk_class__gte=RiskClass.SUBSTANDARD))
                & (Q(days_past_due__lte=270) | Q(risk_class__gte=RiskClass.DOUBTFUL))
                & (Q(days_past_due__lte=360) | Q(risk_class=RiskClass.LOSS)),
                name="loan_risk_class_floor",
            ),
        ]

    def __str__(self):
        return self.loan_no


class CollateralKind(models.TextChoices):
    HOUSE = "house", _("House or flat")
    COMMERCIAL = "commercial", _("Commercial property")
    LAND = "land", _("Land use right")
    EQUIPMENT = "equipment", _("Machinery and equipment")
    VEHICLE = "vehicle", _("Vehicle")
    DEPOSIT = "deposit", _("Deposit certificate")
    RECEIVABLE = "receivable", _("Receivables")
    OTHER = "other", _("Other")


@pghistory.track(exclude=HISTORY_EXCLUDE)
class Collateral(models.Model):
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="collateral"
    )
    kind = models.CharField(_("type"), max_length=12, choices=CollateralKind.choices)
    description = models.CharField(_("description"), max_length=200)
    appraised_value = models.DecimalField(_("appraised value"), **MONEY)
    appraised_on = models.DateField(_("appraised on"))
    registration_no = models.CharField(_("registration certificate number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("collateral")
        verbose_name_plural = _("collateral")
        constraints = [
            models.CheckConstraint(condition=Q(appraised_value__gte=0), name="collateral_value_not_negative"),
        ]

    def __str__(self):
        return self.description


@pghistory.track(exclude=HISTORY_EXCLUDE)
class Guarantor(models.Model):
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="guarantors"
    )
    guarantor_type = models.CharField(_("guarantor type"), max_length=12, choices=BorrowerType.choices)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18)
    relation = models.CharField(_("relation to the borrower"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("guarantor")
        verbose_name_plural = _("guarantors")
        constraints = [
            models.UniqueConstraint(fields=["loan", "id_number"], name="guarantor_once_per_loan"),
        ]

    def __str__(self):
        return self.name


class ScheduleLine(models.Model):
    """One instalment of a loan's repayment schedule, with what has been paid against it."""

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="schedule")
    seq = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    principal_due = models.DecimalField(_("principal due"), **MONEY)
    interest_due = models.DecimalField(_("interest due"), **MONEY)
    principal_paid = models.DecimalField(_("principal paid"), default=0, **MONEY)
    interest_paid = models.DecimalField(_("interest paid"), default=0, **MONEY)
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)

    class Meta:
        ordering = ["loan", "seq"]
        verbose_name = _("schedule line")
        verbose_name_plural = _("schedule lines")
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(paid_on__isnull=True), name="schedule_unpaid_due_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["loan", "seq"], name="schedule_line_once"),
            models.CheckConstraint(
                condition=Q(principal_due__gte=0) & Q(interest_due__gte=0), name="schedule_due_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(principal_paid__gte=0)
                & Q(interest_paid__gte=0)
                & Q(principal_paid__lte=F("principal_due"))
                & Q(interest_paid__lte=F("interest_due")),
                name="schedule_paid_within_due",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id}#{self.seq}"

    @property
    def amount_due(self):
        return self.principal_due + self.interest_due

    @property
    def outstanding(self):
        return self.principal_due + self.interest_due - self.principal_paid - self.interest_paid


class RepaymentSource(models.TextChoices):
    IMPORT = "import", _("Core banking import")
    API = "api", _("Core banking API")
    STAFF = "staff", _("Entered by staff")


class Repayment(models.Model):
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="repayments"
    )
    paid_on = models.DateField(_("paid on"))
    principal = models.DecimalField(_("principal"), **MONEY)
    interest = models.DecimalField(_("interest"), **MONEY)
    source = models.CharField(_("source"), max_length=8, choices=RepaymentSource.choices)
    # The core system's transaction number (流水号) or the staff entry's reference:
    # unique per source, so the same payment is never counted twice.
    reference = models.CharField(_("reference"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        indexes = [models.Index(fields=["loan", "paid_on"]), models.Index(fields=["paid_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], name="repayment_reference_once_per_source"
            ),
            models.CheckConstraint(
                condition=Q(principal__gte=0) & Q(interest__gte=0) & (Q(principal__gt=0) | Q(interest__gt=0)),
                name="repayment_amounts_positive",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id} {self.paid_on} {self.principal + self.interest}"

    @property
    def amount(self):
        return self.principal + self.interest


class ChangeKind(models.TextChoices):
    PROPOSED_WORSE = "worse", _("Downgrade by staff")
    PROPOSED_BETTER = "better", _("Upgrade proposal")
    SYSTEM_FLOOR = "floor", _("Floor by days past due")
    IMPORT = "import", _("Core banking import")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Applied")
    REJECTED = "rejected", _("Rejected")


@pghistory.track()
class ClassificationChange(models.Model):
    """One change (or proposed change) of a loan's five-tier class, with who, when and why.

    A worse class is applied at once; a better one waits for a branch head who is not the
    proposer (maker-checker); the daily job records the floor it imposes as the system.
    """

    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="classification_changes"
    )
    from_class = models.PositiveSmallIntegerField(_("from class"), choices=RiskClass.choices)
    to_class = models.PositiveSmallIntegerField(_("to class"), choices=RiskClass.choices)
    reason = models.TextField(_("reason"))
    kind = models.CharField(_("kind"), max_length=8, choices=ChangeKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=ChangeStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")
        indexes = [models.Index(fields=["loan", "proposed_at"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_class=F("to_class")), name="classification_change_changes"
            ),
            models.CheckConstraint(
                condition=Q(from_class__gte=1, from_class__lte=5, to_class__gte=1, to_class__lte=5),
                name="classification_change_class_range",
            ),
            # Maker-checker: nobody approves (or rejects) their own proposal.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(proposed_by__isnull=True)
                | ~Q(decided_by=F("proposed_by")),
                name="classification_change_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="classification_change_decided_when_final",
            ),
            # A better class is only ever a proposal until a branch head decides.
            models.CheckConstraint(
                condition=~Q(kind="better") | Q(status="pending") | Q(decided_by__isnull=False),
                name="classification_change_upgrade_approved",
            ),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(status="pending"), name="classification_change_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.loan_id}: {self.from_class} → {self.to_class}"

    @property
    def is_upgrade(self) -> bool:
        return self.to_class < self.from_class


class RevealChannel(models.TextChoices):
    PAGE = "page", _("Page")
    EXPORT = "export", _("Excel export")
    API = "api", _("API")


class PersonalDataReveal(models.Model):
    """Who saw which borrower's full ID number and phone, when and where (privacy log)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    borrower = models.ForeignKey(
        Borrower,
        verbose_name=_("borrower"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reveals",
    )
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("where"), max_length=8, choices=RevealChannel.choices)
    # What was shown, e.g. "ID number, phone" or "export of 120 loans".
    detail = models.CharField(_("what"), max_length=200)
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True)

    class Meta:
        ordering = ["-revealed_at", "-id"]
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        indexes = [models.Index(fields=["user", "revealed_at"]), models.Index(fields=["borrower"])]

    def __str__(self):
        return f"{self.user_id} {self.channel} {self.revealed_at:%Y-%m-%d %H:%M}"
