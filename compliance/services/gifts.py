"""The gifts-and-hospitality register: a member of staff declares what a borrower or a
guarantor offered them; an accepted gift over the limit opens a violation; the branch head
reviews every declaration (maker-checker: never their own)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, profile_of, role_of, visible_branch_ids
from accounts.models import Role
from compliance.models import GiftDeclaration, OfferKind, OfferOutcome, ViolationSource
from compliance.services.violations import violation_raise
from loans.models import Borrower
from loans.selectors import borrowers_visible_to


def gift_accepted_limit() -> Decimal:
    """An accepted gift worth more than this (yuan) is a violation: settings.GIFT_ACCEPTED_LIMIT."""
    return Decimal(str(settings.GIFT_ACCEPTED_LIMIT))


def _check_offerer(*, staff, borrower: Borrower | None, offered_by_name: str) -> None:
    if (borrower is None) == (not offered_by_name):
        raise ValidationError(
            {
                "offered_by_name": _(
                    "Choose the borrower or write the name of whoever made the offer, not both."
                )
            }
        )
    if borrower is not None and not borrowers_visible_to(staff).filter(pk=borrower.pk).exists():
        raise ValidationError({"borrower": _("Choose a borrower you can see.")})


def gift_violation_open(*, declaration: GiftDeclaration) -> None:
    """An accepted offer worth more than the limit opens a pending violation for the head's
    decision; declaring, or running this, twice opens it once."""
    if declaration.outcome != OfferOutcome.ACCEPTED or declaration.value <= gift_accepted_limit():
        return
    violation = violation_raise(
        staff=declaration.staff,
        occurred_on=declaration.offered_on,
        rule=_("Accepted a gift or hospitality worth more than %(limit)s yuan")
        % {"limit": gift_accepted_limit()},
        source=ViolationSource.GIFT_ACCEPTED,
        description=_("%(kind)s from %(offered_by)s, %(value)s yuan: %(description)s")
        % {
            "kind": declaration.get_kind_display(),
            "offered_by": declaration.offered_by,
            "value": declaration.value,
            "description": declaration.description,
        },
        source_object=declaration,
        recorded_by=declaration.staff,
    )
    if declaration.violation_id != violation.pk:
        declaration.violation = violation
        declaration.save(update_fields=["violation"])


@transaction.atomic
def gift_declare(
    *,
    staff,
    kind: OfferKind,
    outcome: OfferOutcome,
    value: Decimal,
    offered_on: dt.date,
    borrower: Borrower | None = None,
    offered_by_name: str = "",
    description: str = "",
) -> GiftDeclaration:
    """A member of staff declares an invitation, a meal or a gift offered to them."""
    profile = profile_of(staff)
    if profile is None:
        raise ValidationError(_("Only staff with a staff profile can declare a gift."))
    offered_by_name = offered_by_name.strip()
    _check_offerer(staff=staff, borrower=borrower, offered_by_name=offered_by_name)
    if value is None or value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")})
    if offered_on > timezone.localdate():
        raise ValidationError({"offered_on": _("The date cannot be in the future.")})
    declaration = GiftDeclaration(
        staff=staff,
        branch=profile.branch,
        kind=kind,
        outcome=outcome,
        value=value,
        offered_on=offered_on,
        borrower=borrower,
        offered_by_name=offered_by_name,
        description=description.strip(),
        own_borrower=borrower is not None and borrower.officer_id == staff.pk,
    )
    declaration.full_clean()
    declaration.save()
    gift_violation_open(declaration=declaration)
    return declaration


@transaction.atomic
def gift_review(*, declaration: GiftDeclaration, reviewed_by, note: str = "") -> GiftDeclaration:
    """The branch head's review of a declaration: once, and never of their own."""
    declaration = GiftDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if role_of(reviewed_by) not in APPROVER_ROLES:
        raise ValidationError(_("Only the branch head can review a declaration."))
    if role_of(reviewed_by) != Role.ADMIN and declaration.branch_id not in visible_branch_ids(reviewed_by):
        raise ValidationError(_("The reviewer must belong to the declarer's branch."))
    if declaration.staff_id == reviewed_by.pk:
        raise ValidationError(_("Nobody can review their own declaration."))
    if declaration.is_reviewed:
        raise ValidationError(_("This declaration has already been reviewed."))
    declaration.reviewed_by = reviewed_by
    declaration.reviewed_at = timezone.now()
    declaration.review_note = note.strip()
    declaration.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return declaration
