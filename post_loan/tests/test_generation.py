import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from loans.domain import RiskClass
from loans.models import BorrowerType, Guarantee
from post_loan.domain import add_months, periodic_dates
from post_loan.models import ActionTemplate, LoanClassSnapshot, RequiredAction, Trigger
from post_loan.services import (
    action_templates_seed,
    generation,
    required_actions_generate,
    required_actions_on_ledger_changed,
)

DAY = dt.date(2026, 11, 20)


def test_adding_months_clamps_to_the_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_periodic_dates_fall_in_the_window_only():
    dates = periodic_dates(dt.date(2025, 6, 15), 3, dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    assert dates == [dt.date(2026, 12, 15)]


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_first_check_is_due_fifteen_days_after_disbursement(officer, loan_of):
    action_templates_seed()
    loan = loan_of(
        officer,
        borrower__borrower_type=BorrowerType.CORPORATE,
        disbursed_on=dt.date(2026, 11, 5),
        borrower__id_number="91430424MA4L000000",
    )
    required_actions_generate(as_of=DAY)
    first = RequiredAction.objects.get(loan=loan, template__code="first-check-corporate")
    assert first.due_on == dt.date(2026, 11, 20)
    assert first.responsible == officer and first.branch == loan.branch


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_generation_is_idempotent_for_a_few_hundred_loans(officer, loan_of):
    action_templates_seed()
    for index in range(300):
        loan_of(
            officer,
            disbursed_on=dt.date(2026, 10, 1) + dt.timedelta(days=index % 40),
            matures_on=dt.date(2026, 12, 1) + dt.timedelta(days=index % 60),
            guarantee=Guarantee.MORTGAGE if index % 3 else Guarantee.CREDIT,
        )
    created = required_actions_generate(as_of=DAY)
    assert created == RequiredAction.objects.count() > 300
    assert required_actions_generate(as_of=DAY) == 0
    assert required_actions_generate(as_of=DAY + dt.timedelta(days=1)) >= 0
    total = RequiredAction.objects.count()
    assert required_actions_generate(as_of=DAY + dt.timedelta(days=1)) == 0
    assert RequiredAction.objects.count() == total


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_loans_imported_late_are_not_charged_with_checks_due_before_they_arrived(officer, loan_of):
    action_templates_seed()
    loan = loan_of(officer, disbursed_on=dt.date(2025, 1, 10))  # first checks due in early 2025
    required_actions_generate(as_of=DAY)
    assert not RequiredAction.objects.filter(loan=loan, due_on__lt=dt.date(2026, 11, 1)).exists()


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_maturity_reminder_thirty_days_before_maturity(officer, loan_of):
    action_templates_seed()
    loan = loan_of(officer, disbursed_on=dt.date(2025, 12, 10), matures_on=dt.date(2026, 12, 10))
    required_actions_generate(as_of=DAY)
    assert RequiredAction.objects.filter(
        loan=loan, template__code="maturity-reminder", due_on=dt.date(2026, 11, 10)
    ).exists()


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_an_overdue_episode_gets_one_check_however_often_the_job_runs(officer, loan_of):
    action_templates_seed()
    loan = loan_of(officer, days_past_due=5, risk_class=RiskClass.SPECIAL_MENTION, as_of=DAY)
    required_actions_generate(as_of=DAY)
    loan.days_past_due, loan.as_of = 6, DAY + dt.timedelta(days=1)
    loan.save()
    required_actions_generate(as_of=DAY + dt.timedelta(days=1))
    checks = RequiredAction.objects.filter(loan=loan, template__trigger=Trigger.ON_OVERDUE)
    assert checks.count() == 1
    assert checks.get().due_on == dt.date(2026, 11, 16) + dt.timedelta(days=7)


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_a_worsened_class_reported_by_the_ledger_hook_creates_a_review(officer, loan_of):
    action_templates_seed()
    loan = loan_of(officer)
    required_actions_on_ledger_changed(loan_ids=[loan.pk], as_of=DAY)
    assert LoanClassSnapshot.objects.get(loan=loan).risk_class == RiskClass.NORMAL
    loan.risk_class = RiskClass.SUBSTANDARD
    loan.save()
    required_actions_on_ledger_changed(loan_ids=[loan.pk], as_of=DAY)
    required_actions_on_ledger_changed(loan_ids=[loan.pk], as_of=DAY)
    review = RequiredAction.objects.get(loan=loan, template__trigger=Trigger.ON_CLASS_WORSENED)
    assert review.due_on == DAY + dt.timedelta(days=7) and "次级" in review.reason


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_the_count_is_what_this_run_inserted_while_another_writer_inserts_too(officer, loan_of, monkeypatch):
    action_templates_seed()
    loan = loan_of(officer, disbursed_on=dt.date(2026, 11, 1))
    other = loan_of(officer, disbursed_on=dt.date(2026, 11, 1))
    insert = generation._insert_new

    def with_company(actions):
        # Another worker writes between our read of the existing keys and our insert: one
        # action with a key of ours (ours is then skipped) and one for another loan.
        first = actions[0]
        for loan_id in (first.loan_id, other.pk):
            RequiredAction.objects.create(
                template=first.template,
                loan_id=loan_id,
                branch_id=first.branch_id,
                responsible_id=first.responsible_id,
                due_on=first.due_on,
            )
        return insert(actions)

    monkeypatch.setattr(generation, "_insert_new", with_company)
    created = required_actions_generate(as_of=DAY, loan_ids=[loan.pk])
    assert created == RequiredAction.objects.filter(loan=loan).count() - 1 > 0


def test_the_ledger_hook_is_registered(settings):
    assert "post_loan.services.required_actions_on_ledger_changed" in settings.LEDGER_CHANGE_HANDLERS


@time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))
def test_command_prints_how_many_it_created_and_is_safe_to_rerun(officer, loan_of, capsys):
    action_templates_seed()
    loan_of(officer, disbursed_on=dt.date(2026, 11, 1))
    call_command("generate_required_actions", "--date", "2026-11-20")
    first = capsys.readouterr().out
    call_command("generate_required_actions", "--date", "2026-11-20")
    second = capsys.readouterr().out
    assert first.startswith(str(RequiredAction.objects.count())) and second.startswith("0 ")


@pytest.mark.django_db
def test_seeded_templates_name_their_source():
    action_templates_seed()
    assert ActionTemplate.objects.count() >= 10
    assert not ActionTemplate.objects.filter(source="").exists()
    assert action_templates_seed() == 0
