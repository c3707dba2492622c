"""The coming-due planners (到期预警) as pure functions: boundary dates, no database."""

import datetime as dt

from post_loan.models import ActionTemplate, Trigger
from post_loan.services.planners import (
    LoanFacts,
    Window,
    plan_before_maturity,
    plan_guarantee_ends_early,
    plan_insurance_expiry,
    plan_licence_expiry,
)

AS_OF = dt.date(2026, 11, 30)


def _loan(**kwargs) -> LoanFacts:
    values = {
        "id": 1,
        "branch_id": 1,
        "officer_id": 1,
        "borrower_type": "corporate",
        "product": "working_capital",
        "guarantee": "mortgage",
        "disbursed_on": dt.date(2025, 1, 10),
        "matures_on": dt.date(2027, 6, 30),
        "created_on": dt.date(2025, 1, 10),
        "days_past_due": 0,
        "ledger_as_of": None,
        "risk_class": 1,
    }
    return LoanFacts(**(values | kwargs))


def _template(trigger, offset_days=30) -> ActionTemplate:
    return ActionTemplate(pk=7, code=f"t-{trigger}", name="t", trigger=trigger, offset_days=offset_days)


def _dues(planner, template, loan, as_of=AS_OF):
    return [planned.due_on for planned in planner(template, loan, Window(as_of=as_of))]


def test_maturity_steps_fall_exactly_90_60_and_30_days_before_maturity():
    loan = _loan(matures_on=dt.date(2027, 2, 28))
    for days in (90, 60, 30):
        template = _template(Trigger.BEFORE_MATURITY, days)
        due = loan.matures_on - dt.timedelta(days=days)
        # The window reaches 31 days ahead: the step is planned once its due day is that close.
        assert _dues(plan_before_maturity, template, loan, as_of=due - dt.timedelta(days=31)) == [due]
        assert _dues(plan_before_maturity, template, loan, as_of=due - dt.timedelta(days=32)) == []


def test_insurance_renewal_is_due_thirty_days_before_the_insurance_expires():
    expires = AS_OF + dt.timedelta(days=30)
    planned = list(
        plan_insurance_expiry(
            _template(Trigger.INSURANCE_EXPIRY), _loan(insurance_expires_on=expires), Window(AS_OF)
        )
    )
    assert [p.due_on for p in planned] == [AS_OF]
    assert expires.isoformat() in planned[0].reason


def test_insurance_that_expired_yesterday_is_still_planned_within_the_lookback():
    expired = AS_OF - dt.timedelta(days=1)
    loan = _loan(insurance_expires_on=expired)
    assert _dues(plan_insurance_expiry, _template(Trigger.INSURANCE_EXPIRY, 0), loan) == [expired]


def test_insurance_running_past_maturity_needs_no_renewal():
    loan = _loan(matures_on=AS_OF + dt.timedelta(days=20), insurance_expires_on=AS_OF + dt.timedelta(days=21))
    assert _dues(plan_insurance_expiry, _template(Trigger.INSURANCE_EXPIRY), loan) == []


def test_licence_check_is_due_thirty_days_before_expiry_and_none_without_a_licence_date():
    template = _template(Trigger.LICENCE_EXPIRY)
    assert _dues(plan_licence_expiry, template, _loan(licence_expires_on=AS_OF + dt.timedelta(days=45))) == [
        AS_OF + dt.timedelta(days=15)
    ]
    assert _dues(plan_licence_expiry, template, _loan()) == []


def test_guarantee_ending_the_day_the_loan_matures_is_not_before_the_loan():
    matures = AS_OF + dt.timedelta(days=40)
    template = _template(Trigger.GUARANTEE_ENDS_EARLY)
    assert (
        _dues(plan_guarantee_ends_early, template, _loan(matures_on=matures, guarantee_ends_on=matures)) == []
    )
    day_before = matures - dt.timedelta(days=1)
    assert _dues(
        plan_guarantee_ends_early, template, _loan(matures_on=matures, guarantee_ends_on=day_before)
    ) == [day_before - dt.timedelta(days=30)]


def test_a_date_long_past_when_first_recorded_is_not_charged_as_a_late_action():
    # Like every scheduled template: nothing due more than LOOKBACK_DAYS (30) ago.
    loan = _loan(insurance_expires_on=AS_OF - dt.timedelta(days=31))
    assert _dues(plan_insurance_expiry, _template(Trigger.INSURANCE_EXPIRY, 0), loan) == []


def test_a_loan_arriving_after_the_due_day_gets_the_action_due_the_day_it_arrived():
    loan = _loan(created_on=AS_OF, licence_expires_on=AS_OF + dt.timedelta(days=10))
    assert _dues(plan_licence_expiry, _template(Trigger.LICENCE_EXPIRY), loan) == [AS_OF]
