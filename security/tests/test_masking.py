"""ID numbers and phones stay masked for roles that may not see them, everywhere they show."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.masking import mask_id_number, mask_phone
from loan_collections.factories import CollectionCaseFactory, overdue_loan
from loan_collections.models import CollectionCase
from loan_collections.reminders import reminders_send
from loans.factories import BorrowerFactory, ScheduleLineFactory
from notifications.models import OutgoingEmail
from post_loan.factories import RequiredActionFactory

PHONE = "13912345678"

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower(branch, officer):
    borrower = BorrowerFactory(branch=branch, officer=officer, phone=PHONE, name="易受保护")
    loan = overdue_loan(borrower=borrower, days=40)
    ScheduleLineFactory(loan=loan, due_on=dt.date(2026, 11, 25))
    CollectionCaseFactory(borrower=borrower)
    return borrower


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return response.content.decode()


def _pages(borrower):
    loan = borrower.loans.get()
    case = CollectionCase.objects.get(borrower=borrower)
    return [
        reverse("loan-list"),
        reverse("loan-list") + "?q=" + borrower.name,
        reverse("loan-detail", args=[loan.loan_no]),
        reverse("loan-export"),
        reverse("loan-export") + "?reveal=1",
        reverse("api-loan-list"),
        reverse("api-loan-list") + "?reveal=1",
        reverse("api-loan-detail", args=[loan.loan_no]),
        reverse("api-loan-detail", args=[loan.loan_no]) + "?reveal=1",
        reverse("borrower-list"),
        reverse("borrower-detail", args=[borrower.pk]),
        reverse("collections-worklist"),
        reverse("dashboard"),
        reverse("collections-case", args=[case.pk]),
        reverse("collections-targets"),
        reverse("actions-worklist"),
        reverse("action-list"),
        reverse("action-detail", args=[RequiredActionFactory(loan=loan).pk]),
        reverse("screening-home"),
        reverse("industry-flagged"),
        reverse("signal-list"),
        reverse("face-signing-list"),
        reverse("receipt-list"),
    ]


def test_the_compliance_officer_sees_ids_and_phones_masked_on_every_page_export_and_api(
    client_for, compliance_officer, borrower
):
    client = client_for(compliance_officer)
    shown_somewhere = False
    for url in _pages(borrower):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        assert borrower.id_number not in text, url
        assert PHONE not in text, url
        shown_somewhere |= mask_id_number(borrower.id_number) in text or mask_phone(PHONE) in text
    assert shown_somewhere  # the pages do show the borrower, masked


def test_the_compliance_officer_cannot_reveal(client_for, compliance_officer, borrower):
    client = client_for(compliance_officer)
    response = client.post(reverse("borrower-reveal", args=[borrower.pk]))
    assert borrower.id_number not in _text(response) and PHONE not in _text(response)
    loan = borrower.loans.get()
    response = client.post(reverse("loan-reveal", args=[loan.loan_no]))
    assert borrower.id_number not in _text(response) and PHONE not in _text(response)


def test_the_branch_head_may_reveal_so_the_check_above_is_meaningful(client_for, branch_head, borrower):
    response = client_for(branch_head).get(
        reverse("api-loan-detail", args=[borrower.loans.get().loan_no]) + "?reveal=1"
    )
    assert borrower.id_number in _text(response)


def test_reminder_emails_carry_masked_phones_only(officer, branch_head, borrower):
    officer.email, branch_head.email = "o@bank.local", "h@bank.local"
    officer.save()
    branch_head.save()
    reminders_send(day=dt.date(2026, 11, 20))
    emails = list(OutgoingEmail.objects.all())
    assert emails
    for email in emails:
        for body in (email.subject, email.body_text, email.body_html):
            assert PHONE not in body and borrower.id_number not in body
    assert any(mask_phone(PHONE) in email.body_text for email in emails)


def test_another_officer_never_sees_the_borrowers_personal_data(client_for, other_officer, borrower):
    client = client_for(other_officer)
    for url in _pages(borrower):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = _text(response)
        assert borrower.id_number not in text and PHONE not in text, url
        assert mask_id_number(borrower.id_number) not in text, url  # not even masked: not theirs


def test_the_dashboards_top_overdue_list_shows_the_id_masked_even_to_the_branch_head(
    client_for, compliance_officer, branch_head, officer, borrower
):
    for user in (compliance_officer, branch_head, officer):
        page = client_for(user).get(reverse("dashboard")).content.decode()
        assert borrower.id_number not in page, user
    page = client_for(branch_head).get(reverse("dashboard")).content.decode()
    assert mask_id_number(borrower.id_number) in page
