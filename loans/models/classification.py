"""The five-tier classification workflow: every change of a loan's class, with who, when and why."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from loans.domain import RiskClass
from loans.models.ledger import Loan


class ChangeKind(models.TextChoices):
    PROPOSED_WORSE = "worse", _("Downgrade by staff")
    PROPOSED_BETTER = "better", _("Upgrade proposal")
    SYSTEM_FLOOR = "floor", _("Floor by days past due")
    IMPORT = "import", _("Core banking import")
    RESTRUCTURING = "restruct", _("Floor by restructuring")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Applied")
    REJECTED = "rejected", _("Rejected")


@pghistory.track(level=pgtrigger.Statement)
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
