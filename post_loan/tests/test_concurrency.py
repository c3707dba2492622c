"""Generating required actions from two writers at once (the daily job and the ledger-change
hook), on the real PostgreSQL: each action once, neither writer fails (core.locks)."""

import datetime as dt

import pytest
import time_machine

from core.testing import run_together
from loans.models import Loan
from post_loan.models import RequiredAction
from post_loan.services import (
    action_templates_seed,
    required_actions_generate,
    required_actions_on_ledger_changed,
)

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 11, 1)


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_the_daily_job_and_the_ledger_hook_at_once_create_each_action_once(officer, loan_of):
    action_templates_seed()
    for index in range(60):
        loan_of(officer, disbursed_on=dt.date(2026, 10, 20) + dt.timedelta(days=index % 10))
    ids = list(Loan.objects.order_by("-pk").values_list("pk", flat=True))

    created, _hook = run_together(
        lambda: required_actions_generate(as_of=DAY),
        lambda: required_actions_on_ledger_changed(loan_ids=ids, as_of=DAY),
    )

    total = RequiredAction.objects.count()
    assert total > 0
    assert required_actions_generate(as_of=DAY) == 0  # nothing left: one run's worth
    keys = RequiredAction.objects.values("loan", "template", "due_on").distinct().count()
    assert keys == total
    assert created <= total
