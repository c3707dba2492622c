"""Reassignment of an action to another first responsible person, with its history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import profile_of
from post_loan.models import OPEN_STATUSES, RequiredAction, ResponsibilityChange
from post_loan.services.heads import is_head_for


@transaction.atomic
def required_action_reassign(*, action: RequiredAction, user, to_user, reason: str) -> RequiredAction:
    """Name another first responsible person (branch head only); the change is kept."""
    action = RequiredAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not is_head_for(user, action):
        raise ValidationError(_("Only the branch head can reassign a required action."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the reassignment.")})
    if to_user.pk == action.responsible_id:
        raise ValidationError({"to_user": _("This person is already responsible for the action.")})
    profile = profile_of(to_user)
    if profile is None or profile.branch_id != action.branch_id:
        raise ValidationError({"to_user": _("The new responsible person must work at the action's branch.")})
    if action.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This action is already %(status)s.") % {"status": action.get_status_display()}
        )
    ResponsibilityChange.objects.create(
        action=action,
        from_user_id=action.responsible_id,
        to_user=to_user,
        changed_by=user,
        reason=reason.strip(),
    )
    action.responsible = to_user
    action.save(update_fields=["responsible"])
    return action
