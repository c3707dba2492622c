"""One row per ledger file handed to the import: who, when, which file, how it went."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    REJECTED = "rejected", _("Rejected")  # the file had errors: nothing changed
    FAILED = "failed", _("Failed")  # the import itself broke: nothing changed


FINAL_STATUSES = (BatchStatus.SUCCEEDED, BatchStatus.REJECTED, BatchStatus.FAILED)


class BatchKind(models.TextChoices):
    LEDGER = "ledger", _("Loan ledger")
    REPAYMENTS = "repayments", _("Repayments")


class ImportBatch(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=BatchKind.choices, default=BatchKind.LEDGER)
    # The uploader's branch: the batch list is scoped by it. Empty for command-line imports.
    branch = models.ForeignKey(
        "accounts.Branch",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The --as-of date of the command (rows may carry their own 数据日期).
    as_of = models.DateField(_("figures as of"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # [{"row": 7, "column": "证件号码", "reason": {"zh-hans": "...", "en": "..."}}, ...]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # Counts (created, updated, unchanged, ...) and the loans missing from the file.
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["branch", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")), name="batch_rows_done"
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def progress_pct(self) -> int:
        if self.is_final:
            return 100
        if not self.rows_total:
            return 0
        # Checking rows is most of the work; writing is the last tenth.
        return min(99, int(90 * self.rows_done / self.rows_total) + (9 if self.stage == "writing" else 0))
