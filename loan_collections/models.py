"""Collection (催收): cases, stage history, per-borrower plans, the contact log, promises to
pay, follow-up tasks, legal action, overdue causes and each branch's humane-timing rules.

Invariants live in the database: one open case per borrower, amounts positive, a promise
has both amount and date, an override has its reason, a closed case has its closing date.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from loans.domain import Bucket
from loans.models import MONEY


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
        ]

    def __str__(self):
        return str(self.branch)


class Stage(models.TextChoices):
    REMINDER = "reminder", _("Reminder")  # 提醒
    INTENSIVE = "intensive", _("Intensive collection")  # 重点催收
    ESCALATED = "escalated", _("Escalated to the branch head")  # 钉子户
    LEGAL = "legal", _("Legal action")  # 诉讼
    CLOSED = "closed", _("Closed")


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


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    EMPLOYER = "employer", _("Via the employer")
    DEVELOPER = "developer", _("Via the developer")
    GUARANTOR = "guarantor", _("Via a guarantor")
    RELATIVES = "relatives", _("Via relatives")


# Channels the humane-timing rules apply to: someone is called or visited at a time.
TIMED_CHANNELS = frozenset(
    {Channel.PHONE, Channel.VISIT, Channel.EMPLOYER, Channel.GUARANTOR, Channel.RELATIVES, Channel.DEVELOPER}
)
CALL_CHANNELS = frozenset({Channel.PHONE})


class Party(models.TextChoices):
    BORROWER = "borrower", _("Borrower")
    THIRD_PARTY = "third_party", _("Third party")


class Outcome(models.TextChoices):
    PROMISE = "promise", _("Promise to pay")
    REFUSAL = "refusal", _("Refusal")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    PAID = "paid", _("Paid")
    DISPUTE = "dispute", _("Dispute")


class ContactAttempt(models.Model):
    """One entry of the contact log. Never deleted: there is no delete view and the admin
    cannot delete. A contact that broke the timing rules carries the branch head's
    override, its reason and the rule it broke."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="contacts")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    contacted_at = models.DateTimeField(_("when"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    party = models.CharField(_("person reached"), max_length=12, choices=Party.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    policy_reason = models.TextField(_("timing rule broken"), blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")
        indexes = [models.Index(fields=["case", "contacted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(overridden_by__isnull=True) & Q(override_reason=""))
                | (Q(overridden_by__isnull=False) & ~Q(override_reason="")),
                name="contact_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.contacted_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"

    @property
    def right_party_contact(self) -> bool:
        return self.party == Party.BORROWER


class PromiseStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    KEPT = "kept", _("Kept")
    PARTIAL = "partial", _("Partly kept")
    BROKEN = "broken", _("Broken")


class PromiseToPay(models.Model):
    """承诺还款: made on a contact, checked at 16:00 on its date against the repayments."""

    contact = models.OneToOneField(ContactAttempt, on_delete=models.PROTECT, related_name="promise")
    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="promises")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("promised amount"), **MONEY)
    promised_on = models.DateField(_("promised on"))
    due_on = models.DateField(_("to pay by"))
    status = models.CharField(
        _("status"), max_length=8, choices=PromiseStatus.choices, default=PromiseStatus.PENDING
    )
    paid_amount = models.DecimalField(_("paid"), default=0, **MONEY)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status="pending"), name="promise_pending_due_idx"),
            models.Index(fields=["officer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="promise_amount_positive"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="promise_paid_not_negative"),
            models.CheckConstraint(condition=Q(due_on__gte=F("promised_on")), name="promise_not_in_past"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(checked_at__isnull=False), name="promise_checked_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.amount} @ {self.due_on}"


class FollowUpTask(models.Model):
    """A "call again" for the officer, at the next moment the timing rules allow."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="tasks")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    promise = models.OneToOneField(
        PromiseToPay, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_up"
    )
    due_at = models.DateTimeField(_("call again at"))
    title = models.CharField(_("task"), max_length=200)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        indexes = [models.Index(fields=["officer", "done_at"])]

    def __str__(self):
        return self.title


class LegalStage(models.TextChoices):
    FILED = "filed", _("Filed")
    JUDGED = "judged", _("Judged")
    ENFORCEMENT = "enforcement", _("Enforcement")
    CLOSED = "closed", _("Closed")


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


class OverdueCauseKind(models.TextChoices):
    INCOME_LOSS = "income_loss", _("Borrower lost income")
    BUSINESS_FAILURE = "business", _("Business in difficulty")
    DISPUTE = "dispute", _("Dispute with the bank or a third party")
    WILFUL = "wilful", _("Wilful default")
    OFFICER_FAILING = "officer", _("Officer's own failing (客户经理工作原因)")
    OTHER = "other", _("Other")


class OverdueCause(models.Model):
    """Accountability: why a loan became overdue, recorded by the officer."""

    loan = models.OneToOneField("loans.Loan", on_delete=models.PROTECT, related_name="overdue_cause")
    cause = models.CharField(_("cause"), max_length=12, choices=OverdueCauseKind.choices)
    note = models.TextField(_("explanation"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("overdue cause")
        verbose_name_plural = _("overdue causes")
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="overdue_cause_has_note")]

    def __str__(self):
        return f"{self.loan} {self.get_cause_display()}"
