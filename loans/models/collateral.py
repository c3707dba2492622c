"""What secures a loan: collateral and guarantors."""

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loans.models.common import HISTORY_EXCLUDE, MONEY
from loans.models.ledger import BorrowerType, Loan


class CollateralKind(models.TextChoices):
    HOUSE = "house", _("House or flat")
    COMMERCIAL = "commercial", _("Commercial property")
    LAND = "land", _("Land use right")
    EQUIPMENT = "equipment", _("Machinery and equipment")
    VEHICLE = "vehicle", _("Vehicle")
    DEPOSIT = "deposit", _("Deposit certificate")
    RECEIVABLE = "receivable", _("Receivables")
    OTHER = "other", _("Other")


@pghistory.track(exclude=HISTORY_EXCLUDE, level=pgtrigger.Statement)
class Collateral(models.Model):
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="collateral"
    )
    kind = models.CharField(_("type"), max_length=12, choices=CollateralKind.choices)
    description = models.CharField(_("description"), max_length=200)
    appraised_value = models.DecimalField(_("appraised value"), **MONEY)
    appraised_on = models.DateField(_("appraised on"))
    registration_no = models.CharField(_("registration certificate number"), max_length=60, blank=True)
    # The collateral's insurance (抵押物保险) runs out on this day; empty when not insured.
    insurance_expires_on = models.DateField(_("insurance expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("collateral")
        verbose_name_plural = _("collateral")
        constraints = [
            models.CheckConstraint(condition=Q(appraised_value__gte=0), name="collateral_value_not_negative"),
        ]

    def __str__(self):
        return self.description


@pghistory.track(exclude=HISTORY_EXCLUDE, level=pgtrigger.Statement)
class Guarantor(models.Model):
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="guarantors"
    )
    guarantor_type = models.CharField(_("guarantor type"), max_length=12, choices=BorrowerType.choices)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18)
    relation = models.CharField(_("relation to the borrower"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The guarantee contract (保证合同) ends on this day; empty: it runs as long as the loan.
    guarantee_ends_on = models.DateField(_("guarantee ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("guarantor")
        verbose_name_plural = _("guarantors")
        constraints = [
            models.UniqueConstraint(fields=["loan", "id_number"], name="guarantor_once_per_loan"),
        ]

    def __str__(self):
        return self.name
