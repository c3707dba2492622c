import datetime as dt
import time
from decimal import Decimal
from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from branch_ops.celery import app
from loan_collections import tasks
from loan_collections.factories import CollectionCaseFactory, PromiseToPayFactory, overdue_loan
from loan_collections.models import CollectionCase, PromiseStatus
from loan_collections.reminders import reminders_send
from loans.factories import BorrowerFactory, LoanFactory, ScheduleLineFactory
from loans.models import Product, RepaymentMethod
from loans.services import schedule_build
from notifications.models import EmailStatus, OutgoingEmail

DAY = dt.date(2026, 11, 20)


def _portfolio(branch, officer, other_officer):
    for user in (officer, other_officer):
        borrower = BorrowerFactory(branch=branch, officer=user, phone="13912345678")
        loan = overdue_loan(borrower=borrower, days=12)
        ScheduleLineFactory(loan=loan, due_on=dt.date(2026, 11, 25))
        case = CollectionCaseFactory(borrower=borrower, next_action="上门拜访")
        PromiseToPayFactory(contact__case=case, due_on=dt.date(2026, 11, 27))


def _wait_until_sent(expected: int):
    for _ in range(300):
        if OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() >= expected:
            return
        time.sleep(0.05)


def test_the_schedule_is_in_code():
    schedule = settings.CELERY_BEAT_SCHEDULE
    reminders = schedule["send-collection-reminders"]["schedule"]
    assert reminders.day_of_month == {20, 25} and reminders.hour == {8} and reminders.minute == {30}
    assert schedule["check-promises"]["schedule"].hour == {16}
    assert schedule["open-collection-cases"]["schedule"].hour == {7}
    assert "loan_collections.services.cases_on_ledger_changed" in settings.LEDGER_CHANGE_HANDLERS


@pytest.mark.django_db
def test_worklist_email_is_chinese_with_masked_phones_and_the_head_gets_a_summary(
    branch, officer, other_officer, branch_head
):
    _portfolio(branch, officer, other_officer)
    result = reminders_send(day=DAY)
    assert result == {"queued": 3, "existing": 0}
    worklist = OutgoingEmail.objects.get(kind="collection_worklist", recipient=officer)
    assert "139****5678" in worklist.body_text and "13912345678" not in worklist.body_html
    assert "上门拜访" in worklist.body_html and "<table" in worklist.body_html
    assert "催收" in worklist.subject
    summary = OutgoingEmail.objects.get(kind="collection_summary", recipient=branch_head)
    assert "13912345678" not in summary.body_text


@pytest.mark.django_db
def test_the_day_20_worklist_lists_the_interest_settled_that_day_on_corporate_loans(branch, officer):
    loan = LoanFactory(
        borrower=BorrowerFactory(branch=branch, officer=officer),
        product=Product.WORKING_CAPITAL,
        principal=Decimal("1000000.00"),
        balance=Decimal("1000000.00"),
        disbursed_on=dt.date(2026, 9, 5),
        matures_on=dt.date(2027, 9, 5),
        repayment_method=RepaymentMethod.MONTHLY_SETTLEMENT,
        repayment_day=5,
    )
    schedule_build(loan=loan, as_of=dt.date(2026, 9, 5))
    reminders_send(day=DAY)
    worklist = OutgoingEmail.objects.get(kind="collection_worklist", recipient=officer)
    # 20 October → 20 November, 31 days: 1,000,000 × 4.35 % × 31 / 360 = 3,745.83 (结息日).
    assert f"2026-11-20 {loan.borrower.name}" in worklist.body_text
    assert f"{loan.loan_no} (结息) 3,745.83" in worklist.body_text
    assert "(结息)" in worklist.body_html


@pytest.mark.django_db
def test_building_the_reminders_takes_a_constant_number_of_reads(
    branch, officer, other_officer, branch_head, django_assert_max_num_queries
):
    _portfolio(branch, officer, other_officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        reminders_send(day=DAY)
    OutgoingEmail.objects.all().delete()
    for _ in range(5):
        _portfolio(branch, officer, other_officer)
    with CaptureQueriesContext(connection) as big:
        reminders_send(day=DAY)
    assert len(big) == len(small)  # more loans, same officers: the same number of queries


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_reminder_job_run_twice_by_a_real_worker_sends_one_email_per_officer(
    branch, officer, other_officer, branch_head
):
    _portfolio(branch, officer, other_officer)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        first = tasks.send_collection_reminders.delay(DAY.isoformat()).get(timeout=30)
        second = tasks.send_collection_reminders.delay(DAY.isoformat()).get(timeout=30)
        _wait_until_sent(3)
    assert first["queued"] == 3 and second["queued"] == 0
    assert len(mail.outbox) == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [officer.email, other_officer.email, branch_head.email]
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_promise_check_and_case_jobs_run_on_a_real_worker(branch, officer, other_officer):
    borrower = BorrowerFactory(branch=branch, officer=officer)
    overdue_loan(borrower=borrower, days=5)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        opened = tasks.open_collection_cases.delay(DAY.isoformat()).get(timeout=30)
        case = CollectionCase.objects.get()
        promise = PromiseToPayFactory(contact__case=case, due_on=DAY)
        checked = tasks.check_promises.delay("2026-11-20T16:00:00+08:00").get(timeout=30)
        again = tasks.check_promises.delay("2026-11-20T16:00:00+08:00").get(timeout=30)
        _wait_until_sent(1)
    promise.refresh_from_db()
    assert opened["opened"] == 1 and checked["broken"] == 1 and again["checked"] == 0
    assert promise.status == PromiseStatus.BROKEN
    assert [message.to[0] for message in mail.outbox] == [officer.email]


@pytest.mark.django_db
def test_commands_print_what_they_did(branch, officer, other_officer, branch_head):
    _portfolio(branch, officer, other_officer)
    out = StringIO()
    call_command("open_collection_cases", "--date", "2026-11-20", stdout=out)
    assert "0 cases opened, 2 updated" in out.getvalue()
    out = StringIO()
    call_command("send_collection_reminders", "--date", "2026-11-20", stdout=out)
    call_command("send_collection_reminders", "--date", "2026-11-20", stdout=out)
    assert "3 emails queued" in out.getvalue() and "0 emails queued, 3 already" in out.getvalue()
    out = StringIO()
    call_command("check_promises", "--at", "2026-11-27 16:00", stdout=out)
    assert "2 promises checked: 0 kept, 0 partial, 2 broken; 2 emails queued" in out.getvalue()
    assert OutgoingEmail.objects.filter(kind="promise_broken").count() == 2
    assert Decimal("0") == sum(p.paid_amount for p in CollectionCase.objects.first().promises.all())
