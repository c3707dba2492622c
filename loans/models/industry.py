"""The branch's industry credit policy (GB/T 4754-2017 codes): the ledger's import, the
borrower and loan pages and the risk screening all read it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PolicyLevel(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    RESTRICTED = "restricted", _("Restricted (strict review)")
    PROHIBITED = "prohibited", _("Prohibited")


class IndustryPolicy(models.Model):
    """The branch's credit policy for an industry of the national classification
    GB/T 4754-2017. A code covers every finer code it prefixes: C26 covers C2614."""

    code = models.CharField(_("GB/T 4754 code"), max_length=10, unique=True)
    name = models.CharField(_("industry"), max_length=100)
    level = models.CharField(_("policy"), max_length=12, choices=PolicyLevel.choices)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table was created by the screening app, which owned the model first.
        db_table = "screening_industrypolicy"
        ordering = ["code"]
        verbose_name = _("industry policy")
        verbose_name_plural = _("industry policies")
        constraints = [
            # Codes are stored upper-case without spaces (a section letter and digits).
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-T][0-9]{0,4}$"), name="industry_policy_code_format"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name} ({self.get_level_display()})"

    @property
    def is_flagged(self) -> bool:
        return self.level != PolicyLevel.ALLOWED
