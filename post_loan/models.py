"""Post-loan required actions (贷后规定动作): templates, the actions generated from them per
loan, each with a named first responsible person (第一责任人), its completion record,
evidence files, the branch head's review and the history of reassignments."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loans.models import BorrowerType, Guarantee, Product


class Trigger(models.TextChoices):
    AFTER_DISBURSEMENT = "after_disbursement", _("N days after disbursement")
    PERIODIC = "periodic", _("Every N months after disbursement")
    BEFORE_MATURITY = "before_maturity", _("N days before maturity")
    COLLATERAL_REAPPRAISAL = "collateral_reappraisal", _("Every N months after the collateral appraisal")
    ON_OVERDUE = "on_overdue", _("When the loan becomes overdue")
    ON_CLASS_WORSENED = "on_class_worsened", _("When the five-tier class worsens")
    ON_SIGNAL = "on_signal", _("When an early-warning signal is raised")
    ON_PROJECT_FLAG = "on_project_flag", _("When a property project is flagged")
    # Coming due (到期预警): N days before a date the ledger records runs out.
    INSURANCE_EXPIRY = "insurance_expiry", _("N days before the collateral insurance expires")
    LICENCE_EXPIRY = "licence_expiry", _("N days before the business licence expires")
    GUARANTEE_ENDS_EARLY = "guarantee_ends_early", _("N days before a guarantee ends ahead of the loan")


# Triggers the daily job computes from loan dates; the others are raised by events.
SCHEDULED_TRIGGERS = (
    Trigger.AFTER_DISBURSEMENT,
    Trigger.PERIODIC,
    Trigger.BEFORE_MATURITY,
    Trigger.COLLATERAL_REAPPRAISAL,
    Trigger.INSURANCE_EXPIRY,
    Trigger.LICENCE_EXPIRY,
    Trigger.GUARANTEE_ENDS_EARLY,
)
MONTHLY_TRIGGERS = (Trigger.PERIODIC, Trigger.COLLATERAL_REAPPRAISAL)


class RecordField(models.TextChoices):
    """What a completion record can be required to hold."""

    FINDINGS = "findings", _("Findings")
    SITE_VISIT = "site_visit", _("Site visit made")
    COLLATERAL_SEEN = "collateral_seen", _("Collateral seen")
    CASH_FLOW = "cash_flow_notes", _("Cash flow")
    OPERATIONS = "operations_notes", _("Operations")
    ENVIRONMENT = "environment_notes", _("Environment")
    MARKET = "market_notes", _("Market")
    ATTACHMENTS = "attachments", _("Attachments")


class ActionTemplate(models.Model):
    """What must be done, for which loans, when. ``source`` names the rule it comes from."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what must be done"), blank=True)
    source = models.CharField(_("source (regulation)"), max_length=200, blank=True)
    trigger = models.CharField(_("trigger"), max_length=30, choices=Trigger.choices)
    # Days after disbursement / before maturity / after the event until the action is due.
    offset_days = models.PositiveIntegerField(_("days"), default=0)
    interval_months = models.PositiveSmallIntegerField(_("every N months"), null=True, blank=True)
    borrower_type = models.CharField(
        _("borrower type"), max_length=12, choices=BorrowerType.choices, blank=True, help_text=_("Empty: all")
    )
    products = ArrayField(
        models.CharField(max_length=20, choices=Product.choices),
        verbose_name=_("products"),
        default=list,
        blank=True,
        help_text=_("Empty: all products"),
    )
    guarantees = ArrayField(
        models.CharField(max_length=12, choices=Guarantee.choices),
        verbose_name=_("guarantees"),
        default=list,
        blank=True,
        help_text=_("Empty: all guarantees"),
    )
    required_fields = ArrayField(
        models.CharField(max_length=30, choices=RecordField.choices),
        verbose_name=_("required record fields"),
        default=list,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("action template")
        verbose_name_plural = _("action templates")
        constraints = [
            models.CheckConstraint(
                condition=~Q(trigger__in=MONTHLY_TRIGGERS) | Q(interval_months__gt=0),
                name="action_template_periodic_has_interval",
            ),
        ]

    def __str__(self):
        return self.name


class ActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    WAIVED = "waived", _("Waived")


OPEN_STATUSES = (ActionStatus.PENDING, ActionStatus.LATE)


class ReviewStatus(models.TextChoices):
    NONE = "", _("Not reviewed")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class RequiredAction(models.Model):
    template = models.ForeignKey(
        ActionTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="actions"
    )
    # Loan-level actions have a loan; project- or borrower-level ones (a fake-mortgage flag,
    # a signal on a borrower) name their subject instead.
    loan = models.ForeignKey(
        "loans.Loan",
        verbose_name=_("loan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="required_actions",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first responsible person"),
        on_delete=models.PROTECT,
        related_name="required_actions",
    )
    due_on = models.DateField(pgettext_lazy("required action", "due on"))
    # A returned action gets a new date to redo it by; late-marking uses it when set.
    redo_by = models.DateField(_("redo by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PENDING
    )
    reason = models.CharField(_("why it was raised"), max_length=200, blank=True)
    # The completion record.
    findings = models.TextField(_("findings"), blank=True)
    site_visit = models.BooleanField(_("site visit made"), null=True, blank=True)
    collateral_seen = models.BooleanField(_("collateral seen"), null=True, blank=True)
    cash_flow_notes = models.TextField(_("cash flow"), blank=True)
    operations_notes = models.TextField(_("operations"), blank=True)
    environment_notes = models.TextField(_("environment"), blank=True)
    market_notes = models.TextField(_("market"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_on_time = models.BooleanField(_("on time"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Waiver: a reason and the branch head who approved it.
    waived_reason = models.TextField(_("waiver reason"), blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waiver approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    # The branch head's review of the completion record.
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.NONE, blank=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("required action")
        verbose_name_plural = _("required actions")
        indexes = [
            models.Index(fields=["responsible", "status", "due_on"]),
            models.Index(fields=["branch", "status", "due_on"]),
            models.Index(fields=["branch", "completed_on"]),
        ]
        constraints = [
            # The daily job and the ledger hook may run any number of times.
            models.UniqueConstraint(fields=["loan", "template", "due_on"], name="required_action_once"),
            models.CheckConstraint(
                condition=Q(loan__isnull=False) | ~Q(subject=""), name="required_action_has_subject"
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE)
                | (Q(completed_on__isnull=False) & Q(completed_by__isnull=False)),
                name="required_action_done_has_record",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.WAIVED)
                | (~Q(waived_reason="") & Q(waived_by__isnull=False)),
                name="required_action_waiver_has_reason_and_approver",
            ),
            models.CheckConstraint(
                condition=~Q(review_status=ReviewStatus.RETURNED) | ~Q(review_comment=""),
                name="required_action_return_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(redo_by__isnull=True) | Q(redo_by__gte=F("due_on")),
                name="required_action_redo_after_due",
            ),
        ]

    def __str__(self):
        return f"{self.template} · {self.loan or self.subject} · {self.due_on}"

    @property
    def effective_due_on(self):
        return self.redo_by or self.due_on

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


def evidence_path(instance, filename):
    return f"post_loan/evidence/{instance.action_id}/{filename}"


class ActionEvidence(models.Model):
    action = models.ForeignKey(
        RequiredAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name


class ResponsibilityChange(models.Model):
    """History of the first responsible person: who moved the action from whom to whom, why."""

    action = models.ForeignKey(
        RequiredAction,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="responsibility_changes",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("responsibility change")
        verbose_name_plural = _("responsibility changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_user=F("to_user")), name="responsibility_change_differs"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="responsibility_change_has_reason"),
        ]

    def __str__(self):
        return f"{self.action_id}: {self.from_user} → {self.to_user}"


class LoanClassSnapshot(models.Model):
    """The five-tier class each loan had when we last looked, so that the ledger hook and
    the daily job can tell when it worsened (the ledger keeps only the current class)."""

    loan = models.OneToOneField("loans.Loan", on_delete=models.CASCADE, related_name="+", primary_key=True)
    risk_class = models.PositiveSmallIntegerField()
    seen_on = models.DateField()

    class Meta:
        verbose_name = _("loan class snapshot")
        verbose_name_plural = _("loan class snapshots")

    def __str__(self):
        return f"{self.loan_id}: {self.risk_class}"
