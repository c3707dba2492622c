"""Customer risk screening (甄选客户): early-warning signals, face-signing records (面签,
三亲见, 谁面签谁负责) and the fake-mortgage check (假按揭). The industry policy list it edits
is part of the ledger (loans.models.IndustryPolicy)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 2}


class SignalKind(models.TextChoices):
    OVERDUE_INTEREST = "overdue_interest", _("Overdue interest")
    FROZEN_ACCOUNT = "frozen_account", _("Frozen accounts")
    LITIGATION = "litigation", _("Litigation")
    GUARANTOR_TROUBLE = "guarantor_trouble", _("Guarantor trouble")
    COLLATERAL_DROP = "collateral_drop", _("Collateral value drop")
    RELATED_PARTY = "related_party", _("Related-party anomaly")
    CASH_FLOW = "cash_flow", _("Abnormal cash flow")
    ENVIRONMENTAL = "environmental", _("Environmental penalty")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", _("Closed")


class EarlyWarningSignal(models.Model):
    """An early-warning signal (预警信号) on a borrower or one of its loans."""

    borrower = models.ForeignKey(
        "loans.Borrower", verbose_name=_("borrower"), on_delete=models.CASCADE, related_name="signals"
    )
    loan = models.ForeignKey(
        "loans.Loan",
        verbose_name=_("loan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signals",
    )
    branch = models.ForeignKey("accounts.Branch", on_delete=models.PROTECT, related_name="+")
    # The officer responsible for the borrower or loan: scoping and the verification action.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SignalKind.choices)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(
        _("status"), max_length=10, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    verification_result = models.TextField(_("verification result"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    closure_note = models.TextField(_("closure"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    verification_action = models.ForeignKey(
        "post_loan.RequiredAction",
        verbose_name=_("on-site verification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("early-warning signal")
        verbose_name_plural = _("early-warning signals")
        indexes = [models.Index(fields=["branch", "status"]), models.Index(fields=["officer", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=SignalKind.OTHER) | ~Q(description=""), name="signal_other_has_description"
            ),
            models.CheckConstraint(
                condition=Q(status=SignalStatus.OPEN) | ~Q(verification_result=""),
                name="signal_verified_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status=SignalStatus.CLOSED) | (~Q(closure_note="") & Q(closed_by__isnull=False)),
                name="signal_closed_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.borrower} · {self.get_kind_display()}"


def face_signing_path(instance, filename):
    return f"screening/face_signing/{instance.record_id}/{filename}"


class FaceSigning(models.Model):
    """The face-to-face signing (面签) of an individual loan. The three in-person
    confirmations (三亲见) are each required, in the database too; the officer who signed is
    recorded as responsible for it (谁面签谁负责)."""

    loan = models.OneToOneField(
        "loans.Loan", verbose_name=_("loan"), on_delete=models.CASCADE, related_name="face_signing"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signing officer (responsible)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_on = models.DateField(_("signed on"))
    place = models.CharField(_("place"), max_length=200)
    borrower_in_person = models.BooleanField(_("borrower seen in person (亲见本人)"), default=False)
    signature_in_person = models.BooleanField(_("signature made in person (亲见签字)"), default=False)
    originals_seen = models.BooleanField(_("original documents seen (亲见原件)"), default=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("face-signing record")
        verbose_name_plural = _("face-signing records")
        constraints = [
            models.CheckConstraint(
                condition=Q(borrower_in_person=True) & Q(signature_in_person=True) & Q(originals_seen=True),
                name="face_signing_three_in_person",
            ),
            models.CheckConstraint(condition=~Q(place=""), name="face_signing_has_place"),
        ]

    def __str__(self):
        return f"{self.loan} · {self.signed_on}"


class FaceSigningAttachment(models.Model):
    record = models.ForeignKey(FaceSigning, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=face_signing_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("face-signing attachment")
        verbose_name_plural = _("face-signing attachments")

    def __str__(self):
        return self.original_name


class DownPaymentReceipt(models.Model):
    """A mortgage borrower's down-payment receipt (首付款收据) and the amount the bank
    statement shows for it. A copied slip that does not match the statement is one sign of
    a fake mortgage (假按揭)."""

    loan = models.ForeignKey(
        "loans.Loan", verbose_name=_("loan"), on_delete=models.CASCADE, related_name="down_payment_receipts"
    )
    receipt_no = models.CharField(_("receipt number"), max_length=60)
    paid_on = models.DateField(_("paid on"))
    receipt_amount = models.DecimalField(_("amount on the receipt"), **MONEY)
    statement_amount = models.DecimalField(_("amount on the bank statement"), null=True, blank=True, **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["loan", "paid_on"]
        verbose_name = _("down-payment receipt")
        verbose_name_plural = _("down-payment receipts")
        constraints = [
            models.UniqueConstraint(fields=["loan", "receipt_no"], name="down_payment_receipt_once"),
            models.CheckConstraint(condition=Q(receipt_amount__gt=0), name="down_payment_receipt_positive"),
            models.CheckConstraint(
                condition=Q(statement_amount__isnull=True) | Q(statement_amount__gte=0),
                name="down_payment_statement_not_negative",
            ),
        ]

    def __str__(self):
        return self.receipt_no

    @property
    def mismatched(self) -> bool:
        return self.statement_amount is not None and self.statement_amount != self.receipt_amount


class FlagKind(models.TextChoices):
    EMPLOYER_IS_DEVELOPER = "employer_developer", _("Borrowers work for the developer")
    RECEIPT_MISMATCH = "receipt_mismatch", _("Down-payment receipts do not match the bank statement")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLEARED = "cleared", _("Cleared after verification")
    CONFIRMED = "confirmed", _("Confirmed")


class ProjectFlag(models.Model):
    """A property project flagged by the fake-mortgage check, with its evidence."""

    branch = models.ForeignKey("accounts.Branch", on_delete=models.PROTECT, related_name="+")
    project = models.CharField(_("property project"), max_length=100)
    developer = models.CharField(_("developer"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FlagKind.choices)
    evidence = models.JSONField(_("evidence"), default=dict)
    flagged_on = models.DateField(_("flagged on"))
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    verification_action = models.ForeignKey(
        "post_loan.RequiredAction",
        verbose_name=_("verification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-flagged_on", "project"]
        verbose_name = _("flagged property project")
        verbose_name_plural = _("flagged property projects")
        constraints = [
            models.UniqueConstraint(fields=["branch", "project", "kind"], name="project_flag_once"),
            models.CheckConstraint(condition=~Q(project=""), name="project_flag_has_project"),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"
