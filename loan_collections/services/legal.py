"""Legal action (诉讼): the lawsuit of a case in the legal stage and its court stages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loan_collections.models import CollectionCase, LegalAction, LegalStage, Stage
from loan_collections.selectors import ZERO

_LEGAL_ORDER = [LegalStage.FILED, LegalStage.JUDGED, LegalStage.ENFORCEMENT, LegalStage.CLOSED]


@transaction.atomic
def legal_action_record(
    *,
    case: CollectionCase,
    by,
    filed_on: dt.date,
    court: str,
    court_case_no: str,
    claim_amount: Decimal,
    documents=None,
) -> LegalAction:
    if case.stage != Stage.LEGAL:
        raise ValidationError(_("Move the case to legal action before recording a lawsuit."))
    if claim_amount is None or claim_amount <= 0:
        raise ValidationError({"claim_amount": _("The claim must be more than zero.")})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("The filing date cannot be in the future.")})
    action = LegalAction(
        case=case,
        filed_on=filed_on,
        court=court,
        court_case_no=court_case_no,
        claim_amount=claim_amount,
        recorded_by=by,
    )
    if documents:
        action.documents = documents
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def legal_action_update(
    *,
    action: LegalAction,
    by,
    stage: str,
    outcome: str = "",
    recovered_amount: Decimal = ZERO,
    documents=None,
) -> LegalAction:
    """Court stages only go forward: filed → judged → enforcement → closed."""
    if _LEGAL_ORDER.index(stage) < _LEGAL_ORDER.index(action.stage):
        raise ValidationError({"stage": _("A court case cannot go back to an earlier stage.")})
    if recovered_amount is None or recovered_amount < 0:
        raise ValidationError({"recovered_amount": _("The recovered amount cannot be negative.")})
    action.stage, action.outcome, action.recovered_amount = stage, outcome, recovered_amount
    if documents:
        action.documents = documents
    action.recorded_by = by
    action.full_clean()
    action.save()
    return action
