"""Repayment schedules: one row per instalment."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from loans.models.common import MONEY
from loans.models.ledger import Loan


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
