"""一户一策 / 一户多策: the borrower's yearly plan and its measures."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import profile_of
from loan_collections.models import CollectionCase, CollectionPlan, PlanMeasure
from loan_collections.selectors import balance_at_year_start
from loan_collections.services.cases import can_act_on_case


@transaction.atomic
def plan_create(
    *, case: CollectionCase, by, year: int, strategy: str = "", target_amount: Decimal | None = None
) -> CollectionPlan:
    """一户一策: the borrower's plan for ``year``. The base is the balance at the start of the
    year; the target defaults to the whole base and may be set lower, never above it."""
    if not can_act_on_case(by, case):
        raise ValidationError(_("Only the assigned officer or the branch head can plan this case."))
    if CollectionPlan.objects.filter(borrower_id=case.borrower_id, year=year).exists():
        raise ValidationError(_("This borrower already has a plan for %(year)s.") % {"year": year})
    base = balance_at_year_start(borrower_ids=[case.borrower_id], year=year)[case.borrower_id]
    if target_amount is None:
        target_amount = base
    if target_amount < 0:
        raise ValidationError({"target_amount": _("The target cannot be negative.")})
    if target_amount > base:
        raise ValidationError(
            {
                "target_amount": _(
                    "The target cannot exceed the balance at the start of the year (%(base)s yuan)."
                )
                % {"base": base}
            }
        )
    return CollectionPlan.objects.create(
        borrower_id=case.borrower_id,
        case=case,
        branch_id=case.branch_id,
        officer_id=case.officer_id,
        year=year,
        balance_at_year_start=base,
        target_amount=target_amount,
        strategy=strategy,
        created_by=by,
    )


@transaction.atomic
def plan_measure_add(
    *, plan: CollectionPlan, by, kind: str, owner, target_date: dt.date, note: str = ""
) -> PlanMeasure:
    """一户多策: one more measure, owned by a member of the plan's branch."""
    owner_profile = profile_of(owner)
    if owner_profile is None or owner_profile.branch_id != plan.branch_id:
        raise ValidationError({"owner": _("The owner must work at the borrower's branch.")})
    measure = PlanMeasure(plan=plan, kind=kind, owner=owner, target_date=target_date, note=note)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def plan_measure_done(*, measure: PlanMeasure, by, on: dt.date) -> PlanMeasure:
    if measure.done_on is None:
        measure.done_on = on
        measure.save(update_fields=["done_on"])
    return measure
