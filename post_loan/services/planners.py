"""What the daily job would create for one loan: one planner per template trigger.

A planner takes an active template, the facts of one loan and the generation window, and
yields the actions (loan, template, due date, reason) that template asks for. It reads no
database and writes nothing; ``post_loan.services.generation`` loads the facts, skips the
keys that exist and inserts the rest.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from loans.domain import RiskClass
from post_loan.domain import HORIZON_DAYS, LOOKBACK_DAYS, scheduled_dates
from post_loan.models import ActionTemplate, RequiredAction, Trigger


@dataclass(frozen=True)
class LoanFacts:
    """The columns of an active loan the planners need, plus what other tables say of it."""

    id: int
    branch_id: int
    officer_id: int
    borrower_type: str
    product: str
    guarantee: str
    disbursed_on: dt.date
    matures_on: dt.date
    created_on: dt.date
    days_past_due: int
    ledger_as_of: dt.date | None
    risk_class: int
    # Last collateral appraisal (None without collateral, or when no template needs it).
    appraised_on: dt.date | None = None
    # The class when last seen, only when the loan's class is worse now.
    previous_class: int | None = None
    # Coming due (到期预警): the first collateral insurance to expire, the corporate
    # borrower's business licence, the first guarantee contract to end (None: none recorded).
    insurance_expires_on: dt.date | None = None
    licence_expires_on: dt.date | None = None
    guarantee_ends_on: dt.date | None = None


@dataclass(frozen=True)
class Window:
    """The run's date and the dates it creates actions for.

    ``earliest`` given (a catch-up run) means from that day; otherwise from the later of
    LOOKBACK_DAYS ago and the day the loan entered this system, so an imported loan is not
    charged with checks due before we knew it."""

    as_of: dt.date
    earliest: dt.date | None = None

    # Computed once per run, not once per loan and template (a million loans a night).
    @cached_property
    def end(self) -> dt.date:
        return self.as_of + dt.timedelta(days=HORIZON_DAYS)

    @cached_property
    def lookback_start(self) -> dt.date:
        return self.earliest or self.as_of - dt.timedelta(days=LOOKBACK_DAYS)

    def start_for(self, loan: LoanFacts) -> dt.date:
        return self.earliest or max(loan.created_on, self.lookback_start)


@dataclass(frozen=True)
class PlannedAction:
    loan: LoanFacts
    template: ActionTemplate
    due_on: dt.date
    reason: str = ""

    @property
    def key(self) -> tuple[int, int, dt.date]:
        """The action's unique key (constraint required_action_once)."""
        return (self.loan.id, self.template.pk, self.due_on)

    def build(self) -> RequiredAction:
        return RequiredAction(
            template=self.template,
            loan_id=self.loan.id,
            branch_id=self.loan.branch_id,
            responsible_id=self.loan.officer_id,
            due_on=self.due_on,
            reason=self.reason,
        )


Planner = Callable[[ActionTemplate, LoanFacts, Window], Iterator[PlannedAction]]


def template_applies(template: ActionTemplate, loan: LoanFacts) -> bool:
    """A template limited to a borrower type, products or guarantees skips other loans."""
    return (
        (not template.borrower_type or template.borrower_type == loan.borrower_type)
        and (not template.products or loan.product in template.products)
        and (not template.guarantees or loan.guarantee in template.guarantees)
    )


def _on_schedule(template: ActionTemplate, loan: LoanFacts, window: Window) -> Iterator[PlannedAction]:
    for due_on in scheduled_dates(
        trigger=template.trigger,
        offset_days=template.offset_days,
        interval_months=template.interval_months,
        disbursed_on=loan.disbursed_on,
        matures_on=loan.matures_on,
        appraised_on=loan.appraised_on,
        start=window.start_for(loan),
        end=window.end,
    ):
        yield PlannedAction(loan, template, due_on)


def plan_after_disbursement(
    template: ActionTemplate, loan: LoanFacts, window: Window
) -> Iterator[PlannedAction]:
    """N days after disbursement (post_loan.domain.scheduled_dates has the date rule)."""
    return _on_schedule(template, loan, window)


def plan_periodic(template: ActionTemplate, loan: LoanFacts, window: Window) -> Iterator[PlannedAction]:
    """Every N months after disbursement, until maturity."""
    return _on_schedule(template, loan, window)


def plan_before_maturity(
    template: ActionTemplate, loan: LoanFacts, window: Window
) -> Iterator[PlannedAction]:
    """N days before maturity."""
    return _on_schedule(template, loan, window)


def plan_collateral_reappraisal(
    template: ActionTemplate, loan: LoanFacts, window: Window
) -> Iterator[PlannedAction]:
    """Every N months after the last appraisal; nothing for a loan without collateral."""
    if loan.appraised_on is None:
        return iter(())
    return _on_schedule(template, loan, window)


def plan_on_overdue(template: ActionTemplate, loan: LoanFacts, window: Window) -> Iterator[PlannedAction]:
    """One action per overdue episode, due N days after the loan first fell overdue."""
    if loan.days_past_due <= 0:
        return
    # The first overdue day is fixed for the whole episode, so the due date is too.
    overdue_since = (loan.ledger_as_of or window.as_of) - dt.timedelta(days=loan.days_past_due - 1)
    anchor = overdue_since if window.earliest else max(overdue_since, loan.created_on)
    due_on = anchor + dt.timedelta(days=template.offset_days)
    if window.earliest or window.start_for(loan) <= due_on:
        yield PlannedAction(
            loan, template, due_on, _("Overdue since %(day)s") % {"day": overdue_since.isoformat()}
        )


def plan_on_class_worsened(
    template: ActionTemplate, loan: LoanFacts, window: Window
) -> Iterator[PlannedAction]:
    """One review, due N days from the run, when the five-tier class is worse than when last seen."""
    if loan.previous_class is None:
        return
    yield PlannedAction(
        loan,
        template,
        window.as_of + dt.timedelta(days=template.offset_days),
        _("Class worsened from %(old)s to %(new)s")
        % {"old": RiskClass(loan.previous_class).label, "new": RiskClass(loan.risk_class).label},
    )


def _before_date(
    template: ActionTemplate, loan: LoanFacts, window: Window, day: dt.date, reason: str
) -> Iterator[PlannedAction]:
    """One action due N days before ``day``, created when that due date enters the window
    (like every scheduled template: a date more than LOOKBACK_DAYS past is not charged). A
    loan that entered this system after that day gets it due the day it arrived: an insurance
    or licence already run out still needs the action, and the date stays the same each run."""
    due_on = day - dt.timedelta(days=template.offset_days)
    if not window.earliest:
        due_on = max(due_on, loan.created_on)
    if window.start_for(loan) <= due_on <= window.end:
        yield PlannedAction(loan, template, due_on, reason % {"day": day.isoformat()})


def plan_insurance_expiry(
    template: ActionTemplate, loan: LoanFacts, window: Window
) -> Iterator[PlannedAction]:
    """N days before the collateral insurance expires, if it expires before the loan
    matures (《商业银行押品管理指引》: the collateral stays insured while it secures a loan)."""
    day = loan.insurance_expires_on
    if day is None or day > loan.matures_on:
        return iter(())
    return _before_date(template, loan, window, day, _("Collateral insurance expires on %(day)s"))


def plan_licence_expiry(template: ActionTemplate, loan: LoanFacts, window: Window) -> Iterator[PlannedAction]:
    """N days before a corporate borrower's business licence expires, if before the loan
    matures (from practice: an expired licence ends the borrower's standing to repay)."""
    day = loan.licence_expires_on
    if day is None or day > loan.matures_on:
        return iter(())
    return _before_date(template, loan, window, day, _("Business licence expires on %(day)s"))


def plan_guarantee_ends_early(
    template: ActionTemplate, loan: LoanFacts, window: Window
) -> Iterator[PlannedAction]:
    """N days before a guarantee contract ends, only when it ends strictly before the loan
    matures: ending on the maturity day covers the whole loan (from practice)."""
    day = loan.guarantee_ends_on
    if day is None or day >= loan.matures_on:
        return iter(())
    return _before_date(template, loan, window, day, _("Guarantee ends on %(day)s, before the loan matures"))


# The triggers the daily job plans, in the order a loan's actions are created (the scheduled
# ones first, then the events). ON_SIGNAL and ON_PROJECT_FLAG are raised by screening.
PLANNERS: dict[str, Planner] = {
    Trigger.AFTER_DISBURSEMENT: plan_after_disbursement,
    Trigger.PERIODIC: plan_periodic,
    Trigger.BEFORE_MATURITY: plan_before_maturity,
    Trigger.COLLATERAL_REAPPRAISAL: plan_collateral_reappraisal,
    Trigger.INSURANCE_EXPIRY: plan_insurance_expiry,
    Trigger.LICENCE_EXPIRY: plan_licence_expiry,
    Trigger.GUARANTEE_ENDS_EARLY: plan_guarantee_ends_early,
    Trigger.ON_OVERDUE: plan_on_overdue,
    Trigger.ON_CLASS_WORSENED: plan_on_class_worsened,
}


# Within a loan, scheduled templates come first (in the templates' own order), then the events.
_STAGE = {Trigger.ON_OVERDUE: 1, Trigger.ON_CLASS_WORSENED: 2}


def planned_templates(templates: list[ActionTemplate]) -> list[ActionTemplate]:
    """The templates the daily job plans, in the order their actions are created."""
    return sorted((t for t in templates if t.trigger in PLANNERS), key=lambda t: _STAGE.get(t.trigger, 0))


class TemplatesByKind:
    """The templates that apply to a kind of loan (borrower type, product, guarantee), with
    their planners, worked out once per kind instead of once per loan: the daily job plans
    every active loan, and a bank has a few dozen kinds."""

    def __init__(self, templates: list[ActionTemplate]):
        self.templates = templates
        self._by_kind: dict[tuple[str, str, str], list[tuple[ActionTemplate, Planner]]] = {}

    def plan(self, loan: LoanFacts, window: Window) -> Iterator[PlannedAction]:
        """The actions of every template that applies to the loan, in the templates' order."""
        kind = (loan.borrower_type, loan.product, loan.guarantee)
        applying = self._by_kind.get(kind)
        if applying is None:
            applying = self._by_kind[kind] = [
                (template, PLANNERS[template.trigger])
                for template in self.templates
                if template_applies(template, loan)
            ]
        for template, planner in applying:
            yield from planner(template, loan, window)
