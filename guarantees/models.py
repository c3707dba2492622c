"""Contagion flags: a loan whose guarantee circle (担保圈) has an overdue member."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ContagionFlag(models.Model):
    """One open flag per loan at a time: the daily job refreshes it, clears it when the
    circle no longer has an overdue member, and opens a new one if the circle relapses."""

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("loan"), on_delete=models.CASCADE, related_name="contagion_flags"
    )
    branch = models.ForeignKey("accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible officer"), on_delete=models.PROTECT
    )
    circle = models.CharField(_("guarantee circle"), max_length=500)
    overdue_members = models.CharField(_("overdue members"), max_length=500)
    flagged_on = models.DateField(_("flagged on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    verification_action = models.ForeignKey(
        "post_loan.RequiredAction",
        verbose_name=_("verification action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-flagged_on", "loan_id"]
        verbose_name = _("guarantee-circle flag")
        verbose_name_plural = _("guarantee-circle flags")
        constraints = [
            models.UniqueConstraint(
                fields=["loan"], condition=Q(cleared_on__isnull=True), name="contagion_one_open_flag_per_loan"
            ),
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=F("flagged_on")),
                name="contagion_cleared_after_flagged",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id}: {self.circle}"
