"""Regulations (the rule library) and the staff's acknowledgements of each version."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Branch, Role, StaffProfile
from compliance.models import Acknowledgement, Regulation


def _check_supersession(regulation: Regulation) -> None:
    successor_id = regulation.superseded_by_id
    if successor_id is None:
        return
    if successor_id == regulation.pk:
        raise ValidationError({"superseded_by": _("A regulation cannot supersede itself.")})
    if regulation.pk and Regulation.objects.filter(pk=successor_id, superseded_by_id=regulation.pk).exists():
        raise ValidationError({"superseded_by": _("Two regulations cannot supersede each other.")})


def applicable_staff(*, regulation: Regulation):
    """Active staff (users) a regulation applies to: its roles (all if none) in its
    branches and the branches below them (all if none)."""
    profiles = StaffProfile.objects.filter(user__is_active=True).exclude(role=Role.ADMIN)
    if regulation.applies_to_roles:
        profiles = profiles.filter(role__in=regulation.applies_to_roles)
    covered = set(regulation.applies_to_branches.values_list("id", flat=True))
    if covered:
        children: dict[int, list[int]] = {}
        for branch_id, parent_id in Branch.objects.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(branch_id)
        stack = list(covered)
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in covered:
                    covered.add(child)
                    stack.append(child)
        profiles = profiles.filter(branch_id__in=covered)
    return profiles.select_related("user")


@transaction.atomic
def acknowledgements_request(*, regulation: Regulation) -> int:
    """One pending acknowledgement of the current version per applicable staff member.
    Idempotent: those already asked are skipped (unique constraint). Returns how many
    were created."""
    now = timezone.now()
    rows = [
        Acknowledgement(
            regulation=regulation,
            version=regulation.version,
            staff_id=profile.user_id,
            branch_id=profile.branch_id,
            requested_at=now,
        )
        for profile in applicable_staff(regulation=regulation)
    ]
    before = Acknowledgement.objects.filter(regulation=regulation, version=regulation.version).count()
    Acknowledgement.objects.bulk_create(rows, ignore_conflicts=True)
    return Acknowledgement.objects.filter(regulation=regulation, version=regulation.version).count() - before


@transaction.atomic
def regulation_publish(
    *, regulation: Regulation, roles: list[str] | None = None, branches=None
) -> Regulation:
    """Save a new regulation (or an edit that keeps its version) and ask its staff to
    acknowledge it. ``roles``/``branches`` set who it applies to."""
    _check_supersession(regulation)
    if roles is not None:
        regulation.applies_to_roles = list(roles)
    regulation.full_clean()
    if regulation.published_at is None:
        regulation.published_at = timezone.now()
    regulation.save()
    if branches is not None:
        regulation.applies_to_branches.set(branches)
    if regulation.superseded_by_id is None:
        acknowledgements_request(regulation=regulation)
    return regulation


@transaction.atomic
def regulation_revise(
    *, regulation: Regulation, version: str, effective_on: dt.date, document=None
) -> Regulation:
    """A new version of the regulation: everyone it applies to must acknowledge it again;
    pending acknowledgements of the old version are dropped."""
    version = version.strip()
    if not version or version == regulation.version:
        raise ValidationError({"version": _("A revision needs a new version number.")})
    if regulation.superseded_by_id is not None:
        raise ValidationError(_("This regulation has been superseded; revise its successor instead."))
    regulation.version = version
    regulation.effective_on = effective_on
    if document is not None:
        regulation.document = document
    regulation.full_clean()
    regulation.published_at = timezone.now()
    regulation.save()
    Acknowledgement.objects.filter(regulation=regulation, acknowledged_at__isnull=True).exclude(
        version=version
    ).delete()
    acknowledgements_request(regulation=regulation)
    return regulation


@transaction.atomic
def regulation_supersede(*, regulation: Regulation, successor: Regulation) -> Regulation:
    """Mark ``regulation`` superseded by ``successor``; its pending acknowledgements go."""
    regulation.superseded_by = successor
    _check_supersession(regulation)
    regulation.save(update_fields=["superseded_by"])
    Acknowledgement.objects.filter(regulation=regulation, acknowledged_at__isnull=True).delete()
    return regulation


@transaction.atomic
def acknowledgement_confirm(*, acknowledgement: Acknowledgement, staff) -> Acknowledgement:
    """The staff member confirms they studied the regulation (their own row only)."""
    acknowledgement = Acknowledgement.objects.select_for_update().get(pk=acknowledgement.pk)
    if acknowledgement.staff_id != staff.pk:
        raise ValidationError(_("You can only confirm your own acknowledgements."))
    if acknowledgement.acknowledged_at is None:
        acknowledgement.acknowledged_at = timezone.now()
        acknowledgement.save(update_fields=["acknowledged_at"])
    return acknowledgement
