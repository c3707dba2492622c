"""The gifts-and-hospitality register (礼品与宴请登记): close to the client at work, away
from them at dinner. Staff declare what a borrower or a guarantor offered them; the branch
head reviews each declaration."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class OfferKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    MEAL = "meal", _("Meal")
    GIFT = "gift", _("Gift")


class OfferOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted the offer")
    REFUSED = "refused", _("Refused the offer")


class GiftDeclaration(models.Model):
    """One invitation, meal or gift offered to a member of staff, declared by them.

    The offer comes from a borrower of the ledger or from someone named in free text (a
    guarantor, a relative); never both, never neither. ``own_borrower`` records, when the
    declaration is made, that the borrower is one the declarer manages.
    """

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="gift_declarations",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what was offered"), max_length=12, choices=OfferKind.choices)
    outcome = models.CharField(_("accepted or refused"), max_length=10, choices=OfferOutcome.choices)
    value = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2)
    offered_on = models.DateField(_("date offered"))
    borrower = models.ForeignKey(
        "loans.Borrower",
        verbose_name=_("borrower"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered_by_name = models.CharField(_("offered by (guarantor or other)"), max_length=100, blank=True)
    description = models.TextField(_("what happened"), blank=True)
    own_borrower = models.BooleanField(_("own borrower"), default=False)
    violation = models.OneToOneField(
        "compliance.Violation",
        verbose_name=_("violation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gift_declaration",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        ordering = ["-offered_on", "-id"]
        verbose_name = _("gift or hospitality declaration")
        verbose_name_plural = _("gift and hospitality declarations")
        indexes = [
            models.Index(fields=["staff", "offered_on"]),
            models.Index(fields=["branch", "offered_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="gift_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
            # A borrower of the ledger, or a name written out: exactly one of them.
            models.CheckConstraint(
                condition=(Q(borrower__isnull=False) & Q(offered_by_name=""))
                | (Q(borrower__isnull=True) & ~Q(offered_by_name="")),
                name="gift_offered_by_borrower_or_name",
                violation_error_message=_(
                    "Choose the borrower or write the name of whoever made the offer, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(own_borrower=False) | Q(borrower__isnull=False),
                name="gift_own_borrower_names_borrower",
            ),
            # Maker-checker: nobody reviews their own declaration.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("staff")),
                name="gift_not_reviewed_by_declarer",
                violation_error_message=_("Nobody can review their own declaration."),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True, reviewed_at__isnull=True)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="gift_review_has_reviewer_and_time",
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.offered_on} {self.get_kind_display()}"

    @property
    def offered_by(self) -> str:
        return self.borrower.name if self.borrower_id else self.offered_by_name

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None
