"""Repayments, each recorded once per source and reference."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loans.models.common import MONEY
from loans.models.ledger import Loan


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
