"""Accountability: the cause of an overdue loan, and the penalty when it is the officer's failing."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from compliance.models import ViolationSource
from compliance.services import violation_raise
from loan_collections.models import OverdueCause, OverdueCauseKind
from loans.models import Loan

# The city branch's rule for an overdue loan caused by the officer (市分行贷后管理问责规定).
OFFICER_CAUSED_RULE = "客户经理工作原因造成贷款逾期"


@transaction.atomic
def overdue_cause_record(*, loan: Loan, by, cause: str, note: str, on: dt.date) -> OverdueCause:
    """Why the loan became overdue. The officer's own failing (客户经理工作原因) raises a
    penalty record (pending approval) in the officer's compliance record."""
    if loan.days_past_due <= 0:
        raise ValidationError(_("This loan is not overdue."))
    if OverdueCause.objects.filter(loan=loan).exists():
        raise ValidationError(_("The cause of this overdue loan is already recorded."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Explain the cause.")})
    record = OverdueCause.objects.create(
        loan=loan, cause=cause, note=note.strip(), recorded_by=by, recorded_on=on
    )
    if cause == OverdueCauseKind.OFFICER_FAILING:
        violation_raise(
            staff=loan.officer,
            occurred_on=on,
            rule=OFFICER_CAUSED_RULE,
            source=ViolationSource.OFFICER_CAUSED_OVERDUE,
            description=f"{loan.loan_no}: {note.strip()}",
            source_object=loan,
            recorded_by=by,
        )
    return record
