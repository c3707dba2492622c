"""Violations and their penalties in a member of staff's record."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ViolationSource(models.TextChoices):
    MISSED_ACTION = "missed_action", _("Missed required action")
    OFFICER_CAUSED_OVERDUE = "officer_overdue", _("Overdue loan caused by the officer")
    AUDIT_FINDING = "audit", _("Audit finding")
    GIFT_ACCEPTED = "gift", _("Gift accepted over the limit")
    OTHER = "other", _("Other")


class PenaltyKind(models.TextChoices):
    CRITICISM = "criticism", _("Criticism")
    FINE = "fine", _("Fine")
    SCORE_DEDUCTION = "score", _("Score deduction")
    OTHER = "other", _("Other")


class ViolationStatus(models.TextChoices):
    # Raised automatically (a late action, an officer-caused overdue loan) and awaiting
    # the branch head's or compliance officer's decision.
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Violation(models.Model):
    """A violation and its penalty (违规记录 / 问题处罚) in a member of staff's record.

    Other apps raise one through ``compliance.services.violation_raise`` and link it to the
    record that caused it (a required action, a loan) through ``source_object``.
    """

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="violations"
    )
    occurred_on = models.DateField(_("date"))
    rule = models.CharField(_("rule broken"), max_length=200)
    regulation = models.ForeignKey(
        "compliance.Regulation",
        verbose_name=_("regulation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violations",
    )
    description = models.TextField(_("what happened"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ViolationSource.choices)
    penalty_kind = models.CharField(_("penalty"), max_length=12, choices=PenaltyKind.choices)
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    score_deduction = models.DecimalField(_("score deduction"), max_digits=6, decimal_places=1, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ViolationStatus.choices, default=ViolationStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    appeal_note = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_content_type", "source_object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [
            models.Index(fields=["staff", "occurred_on"]),
            models.Index(fields=["branch", "occurred_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ViolationStatus.APPROVED) | Q(approved_by__isnull=False),
                name="violation_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gt=0), name="violation_fine_positive"
            ),
            models.CheckConstraint(condition=Q(score_deduction__gte=0), name="violation_score_not_negative"),
            models.CheckConstraint(
                condition=~Q(penalty_kind=PenaltyKind.FINE) | Q(fine_amount__isnull=False),
                name="violation_fine_has_amount",
            ),
            # One penalty per staff member per causing record: raising it again is a no-op.
            models.UniqueConstraint(
                fields=["staff", "source_content_type", "source_object_id"],
                condition=Q(source_object_id__isnull=False),
                name="violation_once_per_source_object",
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.occurred_on} {self.rule}"
