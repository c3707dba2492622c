"""Each branch's humane-timing rules for calls and visits."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# 补录: a contact entered more than two days after it took place needs a written reason.
DEFAULT_LATE_ENTRY_HOURS = 48


class CollectionSettings(models.Model):
    """The branch head's humane-timing rules for one branch (defaults: the story's rules)."""

    class LastDayRule(models.TextChoices):
        LAST_DAY = "last_day", _("Last day of the lunar month (29th in a short month)")
        LITERAL_30 = "literal_30", _("Literal 30th only")

    branch = models.OneToOneField(
        "accounts.Branch",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="collection_settings",
    )
    quiet_lunar_days = models.BooleanField(_("no calls on the lunar 1st, 15th and 30th"), default=True)
    last_day_rule = models.CharField(
        _("the lunar “30th” means"),
        max_length=12,
        choices=LastDayRule.choices,
        default=LastDayRule.LAST_DAY,
    )
    earliest_time = models.TimeField(_("no calls before"), default=dt.time(10, 0))
    latest_time = models.TimeField(_("no calls from (evening limit)"), default=dt.time(20, 0))
    weekly_call_cap = models.PositiveSmallIntegerField(_("calls per borrower per week, at most"), default=3)
    late_entry_hours = models.PositiveSmallIntegerField(
        _("a contact entered more than this many hours after it took place needs a reason"),
        default=DEFAULT_LATE_ENTRY_HOURS,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collection settings")
        verbose_name_plural = _("collection settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(earliest_time__lt=F("latest_time")), name="collection_settings_window_order"
            ),
            models.CheckConstraint(
                condition=Q(weekly_call_cap__gte=1), name="collection_settings_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(late_entry_hours__gte=1), name="collection_settings_late_entry_positive"
            ),
        ]

    def __str__(self):
        return str(self.branch)
