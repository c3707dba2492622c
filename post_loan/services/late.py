"""Late marking: pending actions past their date become late and raise a penalty (问题处罚)."""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import profile_of
from compliance.models import PenaltyKind, ViolationSource
from compliance.services import violation_raise
from post_loan.models import ActionStatus, RequiredAction

logger = logging.getLogger(__name__)

# Points deducted in the monthly scorecard for each late action (pending the head's approval).
LATE_ACTION_SCORE_DEDUCTION = Decimal("1.0")


def _overdue_filter(as_of: dt.date) -> Q:
    return Q(redo_by__isnull=True, due_on__lt=as_of) | Q(redo_by__lt=as_of)


def required_actions_mark_late(*, as_of: dt.date) -> int:
    """Mark pending actions past their due date late and raise a penalty (问题处罚) for the
    first responsible person, pending the branch head's approval. Safe to run twice: only
    pending actions change, and a penalty is raised once per action and person."""
    ids = list(
        RequiredAction.objects.filter(status=ActionStatus.PENDING)
        .filter(_overdue_filter(as_of))
        .values_list("id", flat=True)
    )
    marked = 0
    for action_id in ids:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            action = (
                RequiredAction.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("template", "loan", "responsible")
                .filter(pk=action_id, status=ActionStatus.PENDING)
                .first()
            )
            if action is None:
                continue
            action.status = ActionStatus.LATE
            action.save(update_fields=["status"])
            marked += 1
            if profile_of(action.responsible) is None:
                logger.warning(
                    "late action %s: responsible user %s has no staff profile",
                    action.pk,
                    action.responsible_id,
                )
                continue
            violation_raise(
                staff=action.responsible,
                occurred_on=action.effective_due_on + dt.timedelta(days=1),
                rule=_("Required action not done by its due date: %(name)s") % {"name": action.template.name},
                description=_("%(subject)s, due %(due)s")
                % {"subject": action.loan or action.subject, "due": action.effective_due_on.isoformat()},
                source=ViolationSource.MISSED_ACTION,
                penalty_kind=PenaltyKind.SCORE_DEDUCTION,
                score_deduction=LATE_ACTION_SCORE_DEDUCTION,
                source_object=action,
            )
    return marked
