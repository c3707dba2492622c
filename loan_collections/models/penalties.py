"""Accountability: why a loan became overdue (a penalty when it is the officer's failing)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OverdueCauseKind(models.TextChoices):
    INCOME_LOSS = "income_loss", _("Borrower lost income")
    BUSINESS_FAILURE = "business", _("Business in difficulty")
    DISPUTE = "dispute", _("Dispute with the bank or a third party")
    WILFUL = "wilful", _("Wilful default")
    OFFICER_FAILING = "officer", _("Officer's own failing (客户经理工作原因)")
    OTHER = "other", _("Other")


class OverdueCause(models.Model):
    """Accountability: why a loan became overdue, recorded by the officer."""

    loan = models.OneToOneField("loans.Loan", on_delete=models.PROTECT, related_name="overdue_cause")
    cause = models.CharField(_("cause"), max_length=12, choices=OverdueCauseKind.choices)
    note = models.TextField(_("explanation"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("overdue cause")
        verbose_name_plural = _("overdue causes")
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="overdue_cause_has_note")]

    def __str__(self):
        return f"{self.loan} {self.get_cause_display()}"
