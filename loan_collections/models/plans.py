"""一户一策 / 一户多策: per-borrower yearly plans and their measures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loan_collections.models.cases import CollectionCase
from loans.models import MONEY


class CollectionPlan(models.Model):
    """一户一策: the plan for one borrower for one year. The base (基数) is the borrower's
    balance at the start of the year (以年初余额为基数); the target is the part of it to
    recover this year."""

    borrower = models.ForeignKey(
        "loans.Borrower",
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="collection_plans",
    )
    case = models.ForeignKey(
        CollectionCase,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    branch = models.ForeignKey("accounts.Branch", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    balance_at_year_start = models.DecimalField(_("balance at the start of the year"), **MONEY)
    target_amount = models.DecimalField(_("collection target"), **MONEY)
    strategy = models.TextField(_("strategy"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "borrower__name"]
        verbose_name = _("collection plan")
        verbose_name_plural = _("collection plans")
        constraints = [
            models.UniqueConstraint(
                fields=["borrower", "year"], name="collection_plan_once_per_borrower_year"
            ),
            models.CheckConstraint(
                condition=Q(balance_at_year_start__gte=0) & Q(target_amount__gte=0),
                name="collection_plan_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.borrower} {self.year}"


class MeasureKind(models.TextChoices):
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    EMPLOYER = "employer", _("Contact the employer")
    DEVELOPER = "developer", _("Contact the developer")
    GUARANTOR = "guarantor", _("Contact a guarantor")
    RELATIVES = "relatives", _("Contact relatives, colleagues, friends")
    RESTRUCTURE = "restructure", _("Restructuring talk")
    LEGAL_NOTICE = "legal_notice", _("Legal notice")


class PlanMeasure(models.Model):
    """一户多策: one measure of a plan, with an owner and a target date."""

    plan = models.ForeignKey(CollectionPlan, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("measure"), max_length=12, choices=MeasureKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    target_date = models.DateField(_("target date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("plan measure")
        verbose_name_plural = _("plan measures")

    def __str__(self):
        return f"{self.get_kind_display()} {self.target_date}"
