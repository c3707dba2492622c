"""Review of a completed action and waiver of an open one, both by the branch head."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from post_loan.models import OPEN_STATUSES, ActionStatus, RequiredAction, ReviewStatus
from post_loan.services.heads import is_head_for

# Days an officer gets to redo an action the branch head returned.
REDO_DAYS = 7


@transaction.atomic
def required_action_review(
    *, action: RequiredAction, user, accepted: bool, comment: str = ""
) -> RequiredAction:
    """The branch head accepts a completed action, or returns it with a comment: a returned
    action is open again for its responsible person, to redo within REDO_DAYS."""
    action = RequiredAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not is_head_for(user, action):
        raise ValidationError(_("Only the branch head can review required actions."))
    if action.status != ActionStatus.DONE:
        raise ValidationError(_("Only a completed action can be reviewed."))
    comment = comment.strip()
    if not accepted and not comment:
        raise ValidationError({"comment": _("Say why the action is returned.")})
    action.review_comment = comment
    action.reviewed_by = user
    action.reviewed_at = timezone.now()
    if accepted:
        action.review_status = ReviewStatus.ACCEPTED
    else:
        action.review_status = ReviewStatus.RETURNED
        action.status = ActionStatus.PENDING
        action.redo_by = max(action.due_on, timezone.localdate() + dt.timedelta(days=REDO_DAYS))
        action.completed_on_time = None
    action.save()
    return action


@transaction.atomic
def required_action_waive(*, action: RequiredAction, user, reason: str) -> RequiredAction:
    """Waive an open action (e.g. the loan was settled early); the approver is the branch head."""
    action = RequiredAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not is_head_for(user, action):
        raise ValidationError(_("Only the branch head can waive a required action."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for waiving this action.")})
    if action.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This action is already %(status)s.") % {"status": action.get_status_display()}
        )
    action.status = ActionStatus.WAIVED
    action.waived_reason = reason.strip()
    action.waived_by = user
    action.waived_at = timezone.now()
    action.full_clean(validate_unique=False)
    action.save()
    return action
