from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from loan_collections.models import CollectionCase
from loan_collections.services import cases_sync
from loans.factories import LoanFactory
from loans.models import Loan, LoanStatus
from writeoffs.factories import RecoveryFactory, WriteOffFactory
from writeoffs.models import Recovery, WriteOff, WriteOffStatus

pytestmark = pytest.mark.django_db


def test_the_loan_page_offers_a_write_off_on_a_loss_loan_only_to_who_may_propose(
    client_for, loss_loan, officer, compliance_officer
):
    url = reverse("loan-detail", args=[loss_loan.loan_no])
    propose = reverse("writeoff-propose", args=[loss_loan.loan_no])
    assert propose in client_for(officer).get(url).content.decode()
    assert propose not in client_for(compliance_officer).get(url).content.decode()


def test_the_officer_proposes_from_the_form_and_the_head_approves_from_the_queue(
    client_for, loss_loan, officer, branch_head
):
    response = client_for(officer).post(
        reverse("writeoff-propose", args=[loss_loan.loan_no]),
        {"grounds": "court", "reason": "法院终结执行", "principal": "80000.00", "interest": "2000.00"},
    )
    proposal = WriteOff.objects.get(loan=loss_loan)
    assert response.status_code == 302
    assert proposal.total == Decimal("82000.00")

    head = client_for(branch_head)
    queue = head.get(reverse("writeoff-pending")).content.decode()
    assert reverse("writeoff-decide", args=[proposal.pk]) in queue
    response = head.post(reverse("writeoff-decide", args=[proposal.pk]), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    assert Loan.objects.get(pk=loss_loan.pk).status == LoanStatus.WRITTEN_OFF


def test_a_bad_proposal_shows_the_error_and_writes_nothing(client_for, officer, branch):
    loan = LoanFactory(borrower__branch=branch, borrower__officer=officer)
    response = client_for(officer).post(
        reverse("writeoff-propose", args=[loan.loan_no]),
        {"grounds": "court", "reason": "x", "principal": "100.00", "interest": "0"},
    )
    assert response.status_code == 200
    assert "只有损失类贷款才能核销" in response.content.decode()
    assert not WriteOff.objects.exists()


def test_an_officer_cannot_open_the_approval_queue(client_for, officer):
    assert client_for(officer).get(reverse("writeoff-pending")).status_code == 403


def test_the_register_totals_written_off_recovered_and_still_pursued(client_for, loss_loan, branch_head):
    write_off = WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    RecoveryFactory(write_off=write_off, amount=Decimal("5000.00"))
    page = client_for(branch_head).get(reverse("writeoff-register")).content.decode()
    assert "已核销1笔：核销80,000.00，收回5,000.00，仍在追索75,000.00（账销案存）" in page


def test_an_officer_sees_only_their_own_write_offs_in_the_register(
    client_for, loss_loan, other_officer, branch_head
):
    WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    page = client_for(other_officer).get(reverse("writeoff-register")).content.decode()
    assert loss_loan.loan_no not in page


def test_a_recovery_is_recorded_from_the_form_and_an_excess_is_refused(
    client_for, loss_loan, officer, branch_head
):
    write_off = WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    url = reverse("writeoff-recovery-create", args=[write_off.pk])
    today = timezone.localdate().isoformat()
    client = client_for(officer)
    response = client.post(url, {"recovered_on": today, "amount": "80000.01", "source": "collection"})
    assert response.status_code == 200
    assert "收回金额不能超过核销金额" in response.content.decode()
    response = client.post(url, {"recovered_on": today, "amount": "3000", "source": "guarantor"})
    assert response.status_code == 302
    assert Recovery.objects.get(write_off=write_off).amount == Decimal("3000.00")


def test_the_case_page_says_the_loan_is_written_off_and_lists_recoveries(
    client_for, loss_loan, officer, branch_head
):
    cases_sync(as_of=timezone.localdate(), borrower_ids=[loss_loan.borrower_id])
    write_off = WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    RecoveryFactory(write_off=write_off, amount=Decimal("1234.00"))
    Loan.objects.filter(pk=loss_loan.pk).update(status=LoanStatus.WRITTEN_OFF)
    case = CollectionCase.objects.get(borrower=loss_loan.borrower)
    page = client_for(officer).get(reverse("collections-case", args=[case.pk])).content.decode()
    assert 'data-testid="case-write-offs"' in page
    assert "1,234.00" in page


def test_the_api_lists_the_callers_write_offs_with_recoveries(
    client, loss_loan, officer, other_officer, branch_head
):
    write_off = WriteOffFactory(loan=loss_loan, approved=True, decided_by=branch_head)
    RecoveryFactory(write_off=write_off, amount=Decimal("1000.00"))
    client.force_login(officer)
    body = client.get(reverse("api-write-offs")).json()
    (row,) = body["results"]
    assert row["loan_no"] == loss_loan.loan_no
    assert (row["total"], row["recovered"], row["outstanding"]) == ("80000.00", "1000.00", "79000.00")
    assert row["recoveries"][0]["amount"] == "1000.00"
    assert client.get(reverse("api-write-offs"), {"status": WriteOffStatus.PROPOSED}).json()["results"] == []
    assert client.get(reverse("api-write-offs"), {"status": "nonsense"}).status_code == 400
    client.force_login(other_officer)
    assert client.get(reverse("api-write-offs")).json()["results"] == []
