"""Collection cases and their stage history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loans.domain import Bucket
from loans.models import MONEY


class Stage(models.TextChoices):
    REMINDER = "reminder", _("Reminder")  # 提醒
    INTENSIVE = "intensive", _("Intensive collection")  # 重点催收
    ESCALATED = "escalated", _("Escalated to the branch head")  # 钉子户
    LEGAL = "legal", _("Legal action")  # 诉讼
    CLOSED = "closed", pgettext_lazy("collection case", "Closed")


OPEN_STAGES = (Stage.REMINDER, Stage.INTENSIVE, Stage.ESCALATED, Stage.LEGAL)


class CollectionCase(models.Model):
    borrower = models.ForeignKey(
        "loans.Borrower",
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="collection_cases",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="collection_cases"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.PROTECT,
        related_name="collection_cases",
    )
    # The branch head joins a "nail household" (钉子户) case as co-owner.
    co_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_owned_collection_cases",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.REMINDER)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    overdue_amount = models.DecimalField(_("overdue amount"), default=0, **MONEY)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    bucket = models.CharField(_("bucket"), max_length=8, choices=Bucket.choices, default=Bucket.CURRENT)
    next_action_on = models.DateField(_("next action on"), null=True, blank=True)
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    figures_as_of = models.DateField(_("figures as of"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-days_past_due", "id"]
        verbose_name = _("collection case")
        verbose_name_plural = _("collection cases")
        indexes = [
            models.Index(fields=["branch", "officer", "stage"]),
            models.Index(fields=["officer", "stage"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["borrower"],
                condition=~Q(stage="closed"),
                name="collection_case_one_open_per_borrower",
            ),
            models.CheckConstraint(
                condition=(Q(stage="closed") & Q(closed_on__isnull=False))
                | (~Q(stage="closed") & Q(closed_on__isnull=True)),
                name="collection_case_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(stage="escalated") | Q(co_owner__isnull=False),
                name="collection_case_escalated_has_co_owner",
            ),
            models.CheckConstraint(
                condition=Q(overdue_amount__gte=0), name="collection_case_overdue_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.borrower} ({self.get_stage_display()})"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED


class StageChange(models.Model):
    """Every move of a case, with who (None: the daily job) and why."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("why"))
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="stage_change_has_reason")]

    def __str__(self):
        return f"{self.from_stage or '-'} → {self.to_stage}"
