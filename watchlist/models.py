"""The early-warning watchlist (预警名单): current loans that are getting worse, with the
reasons (watchlist.rules) each was flagged for."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    """The rule codes of watchlist.rules.RULES (one rule per reason)."""

    LATE_INSTALMENTS = "late_instalments", _("Instalments paid late")
    GUARANTOR_OVERDUE = "guarantor_overdue", _("Guarantor or circle member overdue")
    LOW_COVERAGE = "low_coverage", _("Collateral coverage below 1.0")
    RESTRICTED_INDUSTRY = "restricted_industry", _("Restricted industry")
    OPEN_SIGNAL = "open_signal", _("Open early-warning signal")


class WatchlistEntry(models.Model):
    """A loan on the watchlist. One open entry per loan: the daily refresh updates its
    reasons, clears it (cleared_on) when no rule flags it any more, and opens a new entry
    if the loan is flagged again later."""

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("loan"), on_delete=models.CASCADE, related_name="watchlist_entries"
    )
    branch = models.ForeignKey("accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reasons = ArrayField(models.CharField(max_length=24, choices=Reason.choices), verbose_name=_("reasons"))
    # rule code -> the rule's detail text (in the site's language), as of last_seen_on
    details = models.JSONField(_("details"), default=dict)
    first_flagged_on = models.DateField(_("flagged since"))
    last_seen_on = models.DateField(_("last seen on"))
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
        ordering = ["-first_flagged_on", "loan_id"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        indexes = [
            models.Index(
                fields=["branch", "officer"], condition=Q(cleared_on__isnull=True), name="watchlist_open_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(cleared_on__isnull=True),
                name="watchlist_one_open_entry_per_loan",
            ),
            models.CheckConstraint(
                condition=Q(reasons__len__gt=0) & Q(reasons__contained_by=Reason.values),
                name="watchlist_reasons_known_and_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(last_seen_on__gte=F("first_flagged_on"))
                & (Q(cleared_on__isnull=True) | Q(cleared_on__gte=F("last_seen_on"))),
                name="watchlist_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id}: {', '.join(self.reasons)}"

    def reason_rows(self) -> list[tuple[str, str]]:
        """(label, detail) of each reason, in the rules' order."""
        labels = dict(Reason.choices)
        return [
            (labels.get(code, code), self.details.get(code, ""))
            for code in Reason.values
            if code in self.reasons
        ]
