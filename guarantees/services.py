"""Contagion (担保圈风险传染): when any member of a guarantee circle is overdue, every loan
of every member is flagged and gets an on-site verification action."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from core.locks import advisory_xact_lock
from guarantees.models import ContagionFlag
from guarantees.network import Circle
from guarantees.selectors import guarantee_network
from loans.models import Loan
from post_loan.models import Trigger
from post_loan.services import action_template_for, required_action_create
from screening.services.stored_text import in_site_language

_TEXT = 500


def _contagious(circles: list[Circle]) -> dict[int, tuple[str, str]]:
    """loan id -> (circle, overdue members) for every loan of a circle with an overdue member."""
    found: dict[int, tuple[str, str]] = {}
    for circle in circles:
        overdue = circle.overdue_parties
        if not overdue:
            continue
        names = "、".join(p.name for p in overdue)
        for loan_id in circle.loan_ids:
            found.setdefault(loan_id, (circle.label[:_TEXT], names[:_TEXT]))
    return found


@transaction.atomic
def guarantee_contagion_run(*, as_of: dt.date, branch_ids: set[int] | None = None) -> list[ContagionFlag]:
    """Flag the loans of every guarantee circle (and mutual guarantee) with an overdue member
    and give each newly flagged loan a verification action, through the same template and
    service as an early-warning signal (post_loan, Trigger.ON_SIGNAL). Idempotent: an open
    flag is refreshed, not repeated; a flag whose circle has no overdue member any more is
    cleared. Returns the open flags of the branches run."""
    advisory_xact_lock(namespace="guarantees.contagion")
    contagious = _contagious(guarantee_network(branch_ids=branch_ids).circles)
    open_flags = ContagionFlag.objects.select_for_update().filter(cleared_on__isnull=True).order_by("id")
    if branch_ids is not None:
        open_flags = open_flags.filter(branch_id__in=branch_ids)
    existing = {flag.loan_id: flag for flag in open_flags}
    for loan_id, flag in existing.items():
        if loan_id not in contagious:
            flag.cleared_on = max(as_of, flag.flagged_on)
            flag.save(update_fields=["cleared_on"])
    template = action_template_for(trigger=Trigger.ON_SIGNAL) if contagious else None
    loans = Loan.objects.filter(id__in=contagious).select_related("branch", "officer").order_by("id")
    flags = []
    for loan in loans:
        circle, overdue = contagious[loan.pk]
        flag = existing.get(loan.pk)
        if flag is None:
            flag = ContagionFlag(loan=loan, branch=loan.branch, officer=loan.officer, flagged_on=as_of)
        flag.circle, flag.overdue_members = circle, overdue
        if flag.verification_action_id is None:
            flag.verification_action, _created = required_action_create(
                template=template,
                loan=loan,
                due_on=max(as_of + dt.timedelta(days=template.offset_days), loan.disbursed_on),
                reason=in_site_language(
                    lambda overdue=overdue: (
                        _("Guarantee circle member overdue: %(names)s") % {"names": overdue}
                    )
                )[:200],
            )
        flag.full_clean(validate_unique=False)
        flag.save()
        flags.append(flag)
    return flags
