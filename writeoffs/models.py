"""Write-off (核销) of loss loans and the recoveries after it (账销案存).

Source: 《金融企业呆账核销管理办法（2017年版）》 (财金〔2017〕90号). The article numbers below
are from memory, not checked against the text: the conditions under which a loan is a bad
debt (呆账) are listed in its chapter 2 (around 第五条/第六条); a written-off claim is kept
"账销案存" — off the books, the file and the claim kept, the debt still pursued, and any
later recovery booked (chapter on management after write-off). The invariants are database
constraints, so no form, API or bulk write can break them; the rule that recoveries never
exceed the amount written off needs the sum of rows and lives in ``writeoffs.services``
under a row lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loans.models.common import MONEY


class Grounds(models.TextChoices):
    """The bad-debt (呆账) conditions a proposal cites, summarised from the 2017 measures."""

    BANKRUPTCY = "bankruptcy", _("Borrower bankrupt, dissolved or closed; unpaid after liquidation")
    DEATH = "death", _("Borrower dead or declared missing; unpaid after the estate")
    DISASTER = "disaster", _("Major disaster or accident, no insurance; borrower cannot pay")
    COURT = "court", _("Court enforcement ended or nothing to enforce")
    SMALL_BALANCE = "small_balance", _("Small balance, still unrecovered after pursuit")
    OTHER = "other", _("Other condition allowed by the measures")


class WriteOffStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("write-off", "Proposed")
    APPROVED = "approved", pgettext_lazy("write-off", "Approved")
    REJECTED = "rejected", pgettext_lazy("write-off", "Rejected")


class RecoverySource(models.TextChoices):
    COLLECTION = "collection", _("Collection (催收)")
    ENFORCEMENT = "enforcement", _("Court enforcement (诉讼执行)")
    COLLATERAL = "collateral", _("Sale of collateral (抵押物处置)")
    GUARANTOR = "guarantor", _("Paid by a guarantor (保证人代偿)")
    OTHER = "other", pgettext_lazy("recovery source", "Other")


class WriteOff(models.Model):
    """A proposal to write a loss loan off, and the head's decision (maker-checker)."""

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("loan"), on_delete=models.PROTECT, related_name="write_offs"
    )
    grounds = models.CharField(_("grounds"), max_length=16, choices=Grounds.choices)
    reason = models.TextField(_("facts and evidence"))
    principal = models.DecimalField(_("principal written off"), **MONEY)
    interest = models.DecimalField(_("interest written off"), **MONEY)
    total = models.DecimalField(_("total written off"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=WriteOffStatus.choices, default=WriteOffStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="write_offs_proposed",
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="write_offs_decided",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        indexes = [models.Index(fields=["status", "written_off_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gte=0) & Q(interest__gte=0) & Q(total__gt=0),
                name="writeoff_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total=F("principal") + F("interest")), name="writeoff_total_is_sum"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="writeoff_decider_not_proposer",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="proposed", decided_by__isnull=True, decided_at__isnull=True)
                    | Q(status="rejected", decided_by__isnull=False, decided_at__isnull=False)
                    | Q(
                        status="approved",
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                        written_off_on__isnull=False,
                    )
                ),
                name="writeoff_decision_complete",
            ),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(status="approved"), name="writeoff_one_approved_per_loan"
            ),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(status="proposed"), name="writeoff_one_open_proposal_per_loan"
            ),
        ]

    def __str__(self):
        return f"{self.loan_id} {self.total}"


class Recovery(models.Model):
    """Money recovered on a written-off loan (收回已核销贷款)."""

    write_off = models.ForeignKey(
        WriteOff, verbose_name=_("write-off"), on_delete=models.PROTECT, related_name="recoveries"
    )
    recovered_on = models.DateField(_("recovered on"))
    amount = models.DecimalField(_("amount recovered"), **MONEY)
    source = models.CharField(_("source"), max_length=12, choices=RecoverySource.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="recoveries_recorded",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recovered_on", "pk"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive"),
        ]

    def __str__(self):
        return f"{self.write_off_id} {self.amount}"
