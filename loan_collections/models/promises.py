"""Promises to pay and the follow-up tasks a missed promise creates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from loan_collections.models.cases import CollectionCase
from loan_collections.models.contacts import ContactAttempt
from loans.models import MONEY


class PromiseStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    KEPT = "kept", _("Kept")
    PARTIAL = "partial", _("Partly kept")
    BROKEN = "broken", _("Broken")


class PromiseToPay(models.Model):
    """承诺还款: made on a contact, checked at 16:00 on its date against the repayments."""

    contact = models.OneToOneField(ContactAttempt, on_delete=models.PROTECT, related_name="promise")
    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="promises")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("promised amount"), **MONEY)
    promised_on = models.DateField(_("promised on"))
    due_on = models.DateField(_("to pay by"))
    status = models.CharField(
        _("status"), max_length=8, choices=PromiseStatus.choices, default=PromiseStatus.PENDING
    )
    paid_amount = models.DecimalField(_("paid"), default=0, **MONEY)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status="pending"), name="promise_pending_due_idx"),
            models.Index(fields=["officer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="promise_amount_positive"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="promise_paid_not_negative"),
            models.CheckConstraint(condition=Q(due_on__gte=F("promised_on")), name="promise_not_in_past"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(checked_at__isnull=False), name="promise_checked_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.amount} @ {self.due_on}"


class FollowUpTask(models.Model):
    """A "call again" for the officer, at the next moment the timing rules allow.

    It is closed by the contact logged for it, or with a written reason; either way it
    keeps who closed it and when."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="tasks")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    promise = models.OneToOneField(
        PromiseToPay, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_up"
    )
    due_at = models.DateTimeField(_("call again at"))
    title = models.CharField(_("task"), max_length=200)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_by_contact = models.ForeignKey(
        ContactAttempt,
        verbose_name=_("closed by the contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_follow_ups",
    )
    close_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        indexes = [models.Index(fields=["officer", "done_at"])]
        constraints = [
            # Open: nothing about closing. Closed: by a contact or with a reason.
            models.CheckConstraint(
                condition=(
                    Q(done_at__isnull=True)
                    & Q(closed_by__isnull=True)
                    & Q(closed_by_contact__isnull=True)
                    & Q(close_reason="")
                )
                | (Q(done_at__isnull=False) & (Q(closed_by_contact__isnull=False) | ~Q(close_reason=""))),
                name="follow_up_closed_by_contact_or_reason",
            ),
        ]

    def __str__(self):
        return self.title
