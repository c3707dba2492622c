"""The privacy log: who saw full ID numbers and phones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loans.models.ledger import Borrower, Loan


class RevealChannel(models.TextChoices):
    """Where personal data is shown ("where" in the privacy log and in the policy,
    docs/personal-data.md). Emails and the Django admin never show it in full."""

    PAGE = "page", _("Page")
    EXPORT = "export", _("Excel export")
    API = "api", _("API")
    EMAIL = "email", _("Email")
    ADMIN = "admin", _("Django admin")


class PersonalField(models.TextChoices):
    """The personal data shown only masked unless revealed (attribute names of Borrower and
    Guarantor)."""

    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("Phone")


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
    # Which value was shown in full; blank on rows logged before the log was per field.
    field = models.CharField(_("field"), max_length=10, choices=PersonalField.choices, blank=True, default="")
    # Whose value beyond the borrower, e.g. a guarantor's name.
    detail = models.CharField(_("what"), max_length=200)
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True)

    class Meta:
        ordering = ["-revealed_at", "-id"]
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        indexes = [models.Index(fields=["user", "revealed_at"]), models.Index(fields=["borrower"])]

    def __str__(self):
        return f"{self.user_id} {self.channel} {self.revealed_at:%Y-%m-%d %H:%M}"
