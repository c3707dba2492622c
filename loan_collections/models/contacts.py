"""The contact log: channels, parties, outcomes and each contact attempt."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loan_collections.models.cases import CollectionCase


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    EMPLOYER = "employer", _("Via the employer")
    DEVELOPER = "developer", _("Via the developer")
    GUARANTOR = "guarantor", _("Via a guarantor")
    RELATIVES = "relatives", _("Via relatives")


# Channels the humane-timing rules apply to: someone is called or visited at a time.
TIMED_CHANNELS = frozenset(
    {Channel.PHONE, Channel.VISIT, Channel.EMPLOYER, Channel.GUARANTOR, Channel.RELATIVES, Channel.DEVELOPER}
)
CALL_CHANNELS = frozenset({Channel.PHONE})

# A contact logged "now" may be a few minutes ahead of the server clock.
CLOCK_SLACK = dt.timedelta(minutes=5)


class Party(models.TextChoices):
    BORROWER = "borrower", _("Borrower")
    THIRD_PARTY = "third_party", _("Third party")


class Outcome(models.TextChoices):
    PROMISE = "promise", _("Promise to pay")
    REFUSAL = "refusal", _("Refusal")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    PAID = "paid", _("Paid")
    DISPUTE = "dispute", _("Dispute")


class ContactAttempt(models.Model):
    """One entry of the contact log. Never deleted: there is no delete view and the admin
    cannot delete. A contact that broke the timing rules carries the branch head's
    override, its reason and the rule it broke.

    ``contacted_at`` is when the contact took place (the officer says so); ``entered_at`` is
    when it was entered (the server's clock). A contact entered long after it took place
    (补录) carries its ``late_entry_reason``, and the branch head sees it listed."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="contacts")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    contacted_at = models.DateTimeField(_("when"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    party = models.CharField(_("person reached"), max_length=12, choices=Party.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    policy_reason = models.TextField(_("timing rule broken"), blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late_entry_reason = models.TextField(_("late entry reason"), blank=True)

    class Meta:
        ordering = ["-contacted_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")
        indexes = [models.Index(fields=["case", "contacted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(overridden_by__isnull=True) & Q(override_reason=""))
                | (Q(overridden_by__isnull=False) & ~Q(override_reason="")),
                name="contact_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(contacted_at__lte=models.F("entered_at") + CLOCK_SLACK),
                name="contact_not_after_entry",
            ),
        ]

    def __str__(self):
        return f"{self.contacted_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"

    @property
    def right_party_contact(self) -> bool:
        return self.party == Party.BORROWER
