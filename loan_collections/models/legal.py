"""Legal action (诉讼) on a case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loan_collections.models.cases import CollectionCase
from loans.models import MONEY


class LegalStage(models.TextChoices):
    FILED = "filed", _("Filed")
    JUDGED = "judged", _("Judged")
    ENFORCEMENT = "enforcement", _("Enforcement")
    CLOSED = "closed", pgettext_lazy("collection case", "Closed")


class LegalAction(models.Model):
    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="legal_actions")
    filed_on = models.DateField(_("filed on"))
    court = models.CharField(_("court"), max_length=100)
    court_case_no = models.CharField(_("court case number"), max_length=60)
    claim_amount = models.DecimalField(_("claim"), **MONEY)
    stage = models.CharField(_("stage"), max_length=12, choices=LegalStage.choices, default=LegalStage.FILED)
    outcome = models.TextField(_("outcome"), blank=True)
    recovered_amount = models.DecimalField(_("recovered"), default=0, **MONEY)
    documents = models.FileField(_("documents"), upload_to="collections/legal/%Y/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_on"]
        verbose_name = _("legal action")
        verbose_name_plural = _("legal actions")
        constraints = [
            models.UniqueConstraint(fields=["court", "court_case_no"], name="legal_action_case_no_once"),
            models.CheckConstraint(condition=Q(claim_amount__gt=0), name="legal_action_claim_positive"),
            models.CheckConstraint(
                condition=Q(recovered_amount__gte=0), name="legal_action_recovered_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.court} {self.court_case_no}"
