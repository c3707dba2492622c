"""Restructuring and extension (重组 / 展期) of a loan, its approval by the branch head and its
observation period (观察期), under the 2023 classification measures, arts. 17-22 (see
loans.domain.restructuring_floor and observation_window)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loans.domain import RiskClass
from loans.models.common import MONEY
from loans.models.ledger import Loan, RepaymentMethod


class RestructuringKind(models.TextChoices):
    """The adjustments of art. 18; one restructuring may combine several."""

    EXTENSION = "extension", pgettext_lazy("restructuring", "Extension")  # 展期
    SCHEDULE = "schedule", _("Relaxed repayment schedule")  # 调整还款计划
    GRACE = "grace", _("New or longer grace period")  # 宽限期
    CAPITALISE = "capitalise", _("Interest turned into principal")  # 利息转本金
    LOWER_RATE = "lower_rate", _("Lower interest rate")  # 降低利率
    LOWER_PAYMENT = "lower_payment", _("Reduced payments")  # 减少还款额
    COLLATERAL = "collateral", _("Released or weaker collateral")  # 释放或弱化担保
    REFINANCE = "refinance", _("New loan to repay the old")  # 借新还旧


class RestructuringStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", pgettext_lazy("restructuring", "Approved")
    REJECTED = "rejected", _("Rejected")


class RestructuringSource(models.TextChoices):
    STAFF = "staff", _("Proposed by staff")
    IMPORT = "import", _("Core banking import")


class Restructuring(models.Model):
    """One restructuring of a loan: the adjustments, the terms before and after, who proposed
    and who approved it (maker-checker), and the observation period it starts."""

    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="restructurings"
    )
    source = models.CharField(
        _("source"), max_length=8, choices=RestructuringSource.choices, default=RestructuringSource.STAFF
    )
    kinds = ArrayField(
        models.CharField(max_length=16, choices=RestructuringKind.choices),
        verbose_name=_("adjustments"),
        default=list,
        blank=True,
    )
    difficulty = models.TextField(_("financial difficulty of the debtor"))
    # The terms before ...
    old_matures_on = models.DateField(_("matured on (before)"))
    old_annual_rate = models.DecimalField(_("annual rate (%) before"), max_digits=7, decimal_places=4)
    old_repayment_method = models.CharField(
        _("repayment method before"), max_length=20, choices=RepaymentMethod.choices
    )
    old_repayment_day = models.PositiveSmallIntegerField(_("repayment day before"))
    old_balance = models.DecimalField(_("balance before"), **MONEY)
    old_risk_class = models.PositiveSmallIntegerField(_("class before"), choices=RiskClass.choices)
    # ... and after.
    new_matures_on = models.DateField(_("new maturity"))
    new_annual_rate = models.DecimalField(_("new annual rate (%)"), max_digits=7, decimal_places=4)
    new_repayment_method = models.CharField(
        _("new repayment method"), max_length=20, choices=RepaymentMethod.choices
    )
    new_repayment_day = models.PositiveSmallIntegerField(_("new repayment day"))
    status = models.CharField(_("status"), max_length=8, choices=RestructuringStatus.choices)
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
    # Set on approval.
    again_in_observation = models.BooleanField(
        _("restructured again within an observation period"), default=False
    )
    class_floor = models.PositiveSmallIntegerField(
        _("class floor by restructuring"), choices=RiskClass.choices, null=True, blank=True
    )
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    observation_starts_on = models.DateField(_("observation starts on"), null=True, blank=True)
    observation_ends_on = models.DateField(_("observation ends on"), null=True, blank=True)
    left_on = models.DateField(_("left restructured status on"), null=True, blank=True)
    left_note = models.TextField(_("note on leaving"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        indexes = [models.Index(fields=["loan", "proposed_at"]), models.Index(fields=["status", "left_on"])]
        constraints = [
            # Maker-checker: nobody approves (or rejects) their own proposal.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(proposed_by__isnull=True)
                | ~Q(decided_by=F("proposed_by")),
                name="restructuring_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_at__isnull=False)),
                name="restructuring_decided_when_final",
            ),
            # Staff restructurings name their adjustments and are approved by a head.
            models.CheckConstraint(
                condition=Q(source="import") | (Q(kinds__len__gt=0) & Q(proposed_by__isnull=False)),
                name="restructuring_staff_kinds",
            ),
            models.CheckConstraint(
                condition=Q(source="import") | ~Q(status="approved") | Q(decided_by__isnull=False),
                name="restructuring_approved_by_head",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(
                    effective_on__isnull=False,
                    observation_starts_on__isnull=False,
                    observation_ends_on__gt=F("observation_starts_on"),
                    class_floor__gte=2,
                    class_floor__lte=5,
                ),
                name="restructuring_observation_when_approved",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(status="approved"),
                name="restructuring_left_if_approved",
            ),
            models.CheckConstraint(
                condition=Q(new_annual_rate__gte=0) & Q(new_annual_rate__lt=36),
                name="restructuring_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(new_repayment_day__gte=1) & Q(new_repayment_day__lte=31),
                name="restructuring_repayment_day",
            ),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(status="proposed"), name="restructuring_one_proposed"
            ),
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(status="approved", left_on__isnull=True),
                name="restructuring_one_in_observation",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id}: {self.get_status_display()}"

    @property
    def in_observation(self) -> bool:
        return self.status == RestructuringStatus.APPROVED and self.left_on is None

    def kind_labels(self) -> list[str]:
        labels = dict(RestructuringKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]


class RestartReason(models.TextChoices):
    MISSED_PAYMENT = "missed", _("Instalment not paid in full and on time")
    NOT_RESOLVED = "unresolved", _("Financial difficulty not resolved at the end")


class ObservationRestart(models.Model):
    """The observation period started again (art. 19): from the missed due date, or at the
    end of the period when the difficulty was not resolved."""

    restructuring = models.ForeignKey(
        Restructuring, verbose_name=_("restructuring"), on_delete=models.CASCADE, related_name="restarts"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=RestartReason.choices)
    starts_on = models.DateField(_("observation starts on"))
    ends_on = models.DateField(_("observation ends on"))
    note = models.TextField(_("note"), blank=True)
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
        ordering = ["starts_on", "id"]
        verbose_name = _("observation restart")
        verbose_name_plural = _("observation restarts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="observation_restart_ends_after"
            ),
            # The daily check runs again without restarting twice from the same date.
            models.UniqueConstraint(
                fields=["restructuring", "starts_on", "reason"], name="observation_restart_once"
            ),
        ]

    def __str__(self):
        return f"{self.restructuring_id}: {self.starts_on}"
