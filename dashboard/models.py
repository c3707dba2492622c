"""Portfolio snapshots and monthly reports.

A snapshot row holds one officer's portfolio in one branch on one date (officer empty for
history imported at branch level). The dashboard for a past date and the "balance by
month, this year against last" chart read these rows only, never the ledger, so they stay
cheap however many loans there are: a city branch has a few hundred rows per date.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 18, "decimal_places": 2}


class SnapshotSource(models.TextChoices):
    LEDGER = "ledger", _("Built from the ledger")
    IMPORT = "import", _("Imported history")


class PortfolioSnapshot(models.Model):
    as_of = models.DateField(_("as of"))
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    balance = models.DecimalField(_("balance"), **MONEY)
    npl_balance = models.DecimalField(_("non-performing balance"), **MONEY)
    overdue_balance = models.DecimalField(_("overdue balance"), **MONEY)
    loan_count = models.PositiveIntegerField(_("loans"))
    # Each maps a key (product, borrower type, class number, bucket) to a decimal string.
    by_product = models.JSONField(_("balance by product"), default=dict)
    by_borrower_type = models.JSONField(_("balance by borrower type"), default=dict)
    by_class = models.JSONField(_("balance by class"), default=dict)
    by_bucket = models.JSONField(_("balance by bucket"), default=dict)
    source = models.CharField(_("source"), max_length=8, choices=SnapshotSource.choices)
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        ordering = ["as_of", "branch", "officer"]
        verbose_name = _("portfolio snapshot")
        verbose_name_plural = _("portfolio snapshots")
        indexes = [models.Index(fields=["branch", "as_of"]), models.Index(fields=["officer", "as_of"])]
        constraints = [
            # One row per date, branch and officer; a branch-level row (no officer) once too.
            models.UniqueConstraint(
                fields=["as_of", "branch", "officer"],
                name="snapshot_once_per_date_branch_officer",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0) & Q(npl_balance__gte=0) & Q(overdue_balance__gte=0),
                name="snapshot_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(npl_balance__lte=models.F("balance"))
                & Q(overdue_balance__lte=models.F("balance")),
                name="snapshot_parts_within_balance",
            ),
        ]

    def __str__(self):
        return f"{self.as_of} {self.branch_id}/{self.officer_id}"


def report_path(instance, filename):
    return f"reports/{instance.branch.code}/{instance.month:%Y-%m}/{filename}"


class MonthlyReport(models.Model):
    """The monthly post-loan report (贷后管理月报) of a branch (and every branch below it)."""

    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # the first day of the month reported on
    as_of = models.DateField(_("figures as of"))
    workbook = models.FileField(_("Excel workbook"), upload_to=report_path)
    pdf = models.FileField(_("PDF"), upload_to=report_path)
    generated_at = models.DateTimeField(_("generated at"), auto_now=True)

    class Meta:
        ordering = ["-month", "branch"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="report_once_per_branch_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.branch_id} {self.month:%Y-%m}"
