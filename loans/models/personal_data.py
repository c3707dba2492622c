"""The privacy log: who saw full ID numbers and phones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loans.models.ledger import Borrower, Loan


class RevealChannel(models.TextChoices):
    PAGE = "page", _("Page")
    EXPORT = "export", _("Excel export")
    API = "api", _("API")


class PersonalDataReveal(models.Model):
    """Who saw which borrower's full ID number and phone, when and where (privacy log)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    borrower = models.ForeignKey(
        Borrower,
        verbose_name=_("borrower"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reveals",
    )
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("where"), max_length=8, choices=RevealChannel.choices)
    # What was shown, e.g. "ID number, phone" or "export of 120 loans".
    detail = models.CharField(_("what"), max_length=200)
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True)

    class Meta:
        ordering = ["-revealed_at", "-id"]
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        indexes = [models.Index(fields=["user", "revealed_at"]), models.Index(fields=["borrower"])]

    def __str__(self):
        return f"{self.user_id} {self.channel} {self.revealed_at:%Y-%m-%d %H:%M}"
