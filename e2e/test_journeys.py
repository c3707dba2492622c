"""Journeys of the people who use branch-ops, in a real browser (Chromium) against a live
server: the loan officer's day, the branch head's review and import, the compliance
officer's Monday meeting (in English, through the language switcher)."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker

from accounts.factories import StaffProfileFactory, make_staff
from accounts.models import Role
from branch_ops.celery import app
from compliance.models import Attendance, AttendanceStatus
from compliance.services import morning_meetings_create
from e2e.conftest import log_in, with_password
from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.models import BatchStatus, ImportBatch
from loan_collections.factories import CollectionCaseFactory
from loan_collections.models import ContactAttempt, PromiseToPay
from loans.factories import BorrowerFactory, LoanFactory
from loans.models import ChangeStatus, Loan
from loans.services import classification_propose
from post_loan.factories import ActionTemplateFactory, RequiredActionFactory
from post_loan.models import ActionStatus, RecordField

pytestmark = pytest.mark.django_db(transaction=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-12-09 is the 1st of the eleventh lunar month: a quiet day, no collection calls.
LUNAR_FIRST = dt.datetime(2026, 12, 9, 11, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_officer_completes_an_action_with_evidence_is_refused_a_call_on_a_lunar_quiet_day_and_logs_a_promise(
    page, branch, tmp_path
):
    officer = with_password(make_staff(role=Role.OFFICER, branch=branch, username="officer1"))
    template = ActionTemplateFactory(
        name="首次跟踪检查", required_fields=[RecordField.FINDINGS, RecordField.ATTACHMENTS]
    )
    action = RequiredActionFactory(
        template=template,
        loan=LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer, name="李明")),
        due_on=dt.date(2026, 12, 10),
    )
    debtor = BorrowerFactory(branch=branch, officer=officer, name="欠款人王五")
    LoanFactory(
        borrower=debtor,
        days_past_due=15,
        bucket="1-30",
        risk_class=2,
        overdue_principal=Decimal("2500.00"),
        overdue_interest=Decimal("400.00"),
    )
    case = CollectionCaseFactory(borrower=debtor, opened_on=dt.date(2026, 11, 25))
    evidence = tmp_path / "现场照片.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    with time_machine.travel(LUNAR_FIRST, tick=True) as traveller:
        log_in(page, officer)
        # This week's required actions, in Chinese.
        page.goto(f"{page.base_url}/actions/")
        assert page.locator("h1").inner_text() == "我的贷后规定动作"
        row = page.locator(f"tr[data-action='{action.pk}']")
        row.get_by_role("link", name="首次跟踪检查").click()
        page.fill("#id_findings", "借款人经营正常，资金用途与合同一致。")
        page.set_input_files("#id_files", str(evidence))
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
        page.wait_for_selector("text=现场照片.png")
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert action.evidence.get().original_name == "现场照片.png"

        # An overdue borrower, from the collection worklist.
        page.goto(f"{page.base_url}/collections/")
        page.get_by_role("link", name="欠款人王五").first.click()
        page.wait_for_url(f"**/collections/cases/{case.pk}/")
        assert "2,500.00" in page.content()

        # A call now, on the lunar 1st: the worklist's rules refuse it and say when it may be made.
        page.get_by_role("link", name="登记催收").click()
        page.select_option("#id_channel", "phone")
        page.wait_for_selector(".js-contact-window.alert-warning")
        assert "2026-12-10 10:00" in page.locator(".js-contact-window").inner_text()
        page.select_option("#id_outcome", "no_answer")
        page.locator("form.js-contact-form button.btn-primary").click()
        error = page.locator("#id_contacted_at ~ .invalid-feedback, #error_1_id_contacted_at").first
        error.wait_for()
        assert "2026-12-10 10:00" in error.inner_text()
        assert ContactAttempt.objects.count() == 0

        # The next morning at 10:05 the call goes through and the borrower promises to pay.
        traveller.move_to(dt.datetime(2026, 12, 10, 10, 5, tzinfo=SHANGHAI))
        page.context.clear_cookies()  # a new day, a new session (idle sessions end after 30 minutes)
        log_in(page, officer)
        page.goto(f"{page.base_url}/collections/cases/{case.pk}/contacts/new/")
        page.wait_for_selector(".js-contact-window.alert-success")
        page.select_option("#id_channel", "phone")
        page.select_option("#id_party", "borrower")
        page.select_option("#id_outcome", "promise")
        page.fill("#id_promise_amount", "2900.00")
        page.fill("#id_promise_date", "2026-12-20")
        page.fill("#id_notes", "借款人承诺月底前还清逾期。")
        page.locator("form.js-contact-form button.btn-primary").click()
        page.wait_for_url(f"**/collections/cases/{case.pk}/")
        assert "2026-12-20" in page.locator("[data-testid=contacts]").inner_text()
    promise = PromiseToPay.objects.get()
    assert (promise.amount, promise.due_on) == (Decimal("2900.00"), dt.date(2026, 12, 20))


@pytest.mark.redis
def test_branch_head_drills_from_npl_to_loans_approves_a_class_change_and_watches_an_import_finish(
    page, branch, branch_head
):
    head = with_password(branch_head)
    officer = StaffProfileFactory(branch=branch, role=Role.OFFICER, employee_no="K0001").user
    bad = LoanFactory(
        borrower=BorrowerFactory(branch=branch, officer=officer, name="不良户赵六"),
        days_past_due=120,
        bucket="91-180",
        risk_class=3,
        overdue_principal=Decimal("30000.00"),
    )
    LoanFactory.create_batch(3, borrower__branch=branch, borrower__officer=officer)
    mended = LoanFactory(
        borrower=BorrowerFactory(branch=branch, officer=officer, name="好转户孙七"), risk_class=2
    )
    change = classification_propose(
        loan=mended, to_class=1, reason="已连续六期按时还款。", proposed_by=officer
    )

    log_in(page, head)
    page.goto(f"{page.base_url}/dashboard/")
    npl = page.locator("[data-figure=npl] a")
    npl.click()
    page.wait_for_url(re.compile(r"/loans/\?.*group=npl"))
    listed = page.locator("table").first.inner_text()
    assert bad.loan_no in listed
    assert mended.loan_no not in listed

    page.goto(f"{page.base_url}/loans/approvals/")
    page.locator("table").first.get_by_role("link", name="审批", exact=True).click()
    page.fill("#id_note", "同意上调。")
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_load_state()
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert Loan.objects.get(pk=mended.pk).risk_class == 1

    rows = [ledger_row(officer_no="K0001") for _ in range(1500)]
    upload = {"name": "借据台账.csv", "mimeType": "text/csv", "buffer": ledger_csv(rows)}
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        page.goto(f"{page.base_url}/imports/upload/")
        page.set_input_files("#id_file", files=[upload])
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
        page.wait_for_selector("#import-progress")
        bar = page.locator("#import-progress .progress-bar")
        seen = set()
        for _ in range(600):
            seen.add(bar.get_attribute("data-progress"))
            if page.locator("#import-progress[data-final='1']").count():
                break
            page.wait_for_timeout(100)
        page.wait_for_selector("#import-progress[data-final='1']", timeout=120_000)
    assert page.locator("#import-progress .progress-bar").get_attribute("data-progress") == "100"
    assert "成功" in page.locator("#import-progress").inner_text()
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.summary["created"] == 1500
    assert any(value != "100" for value in seen), f"the bar was never seen before the end: {seen}"


def test_compliance_officer_records_a_monday_meeting_in_english(page, branch, compliance_officer, officer):
    meeting = morning_meetings_create(day=dt.date(2026, 11, 30))[0]
    log_in(page, with_password(compliance_officer))
    page.select_option("#language-select", "en")
    page.wait_for_selector("html[lang=en]")
    page.goto(f"{page.base_url}/compliance/sessions/{meeting.pk}/")
    page.get_by_role("link", name="Record attendance").click()
    page.wait_for_selector("text=Save attendance")
    rows = Attendance.objects.filter(session=meeting).select_related("staff")
    for attendance in rows:
        status = AttendanceStatus.ABSENT if attendance.staff_id == officer.pk else AttendanceStatus.PRESENT
        page.select_option(f"[name=status_{attendance.staff_id}]", status)
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("text=Attendance saved.")
    statuses = dict(Attendance.objects.filter(session=meeting).values_list("staff_id", "status"))
    assert statuses[officer.pk] == AttendanceStatus.ABSENT
    assert statuses[compliance_officer.pk] == AttendanceStatus.PRESENT
