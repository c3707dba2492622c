import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from loans.factories import IndustryPolicyFactory
from loans.models import Guarantee, PolicyLevel, Product
from screening.models import EarlyWarningSignal, FaceSigning
from screening.services import signal_raise


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        yield


def test_every_role_sees_the_screening_overview(client_for, officer):
    assert client_for(officer).get(reverse("screening-home")).status_code == 200


def test_flagged_customers_list_shows_only_the_officers_own(client_for, officer, other_officer, loan_of):
    IndustryPolicyFactory(code="C26", level=PolicyLevel.RESTRICTED)
    mine = loan_of(officer, borrower__industry_code="C2614", borrower__name="衡东化工厂")
    loan_of(other_officer, borrower__industry_code="C2614", borrower__name="别人的化工厂")
    response = client_for(officer).get(reverse("industry-flagged"))
    body = response.content.decode()
    assert mine.borrower.name in body and "别人的化工厂" not in body


def test_officer_raises_a_signal_from_the_page(client_for, officer, loan_of):
    loan = loan_of(officer)
    response = client_for(officer).post(
        reverse("signal-create", args=[loan.borrower_id]) + f"?loan={loan.pk}",
        {"kind": "litigation", "severity": "high", "raised_on": "2026-11-20", "description": "被起诉"},
    )
    assert response.status_code == 302
    assert EarlyWarningSignal.objects.get().verification_action.responsible == officer


def test_officer_cannot_open_another_officers_signal(client_for, officer, other_officer, loan_of):
    borrower = loan_of(other_officer).borrower
    signal = signal_raise(
        borrower=borrower,
        kind="litigation",
        severity="low",
        raised_by=other_officer,
        raised_on=dt.date(2026, 11, 20),
    )
    client = client_for(officer)
    assert client.get(reverse("signal-detail", args=[signal.pk])).status_code == 404
    assert client.get(reverse("signal-create", args=[borrower.pk])).status_code == 404


def test_face_signing_page_refuses_a_missing_tick_and_saves_nothing(client_for, officer, loan_of):
    loan = loan_of(officer)
    response = client_for(officer).post(
        reverse("face-signing-create", args=[loan.pk]),
        {
            "signed_by": officer.pk,
            "signed_on": "2026-11-20",
            "place": "营业厅",
            "borrower_in_person": "on",
            "signature_in_person": "on",
        },
    )
    assert response.status_code == 400
    assert "三亲见" in response.content.decode()
    assert not FaceSigning.objects.exists()


def test_face_signing_gaps_list_the_officers_individual_loans(client_for, officer, other_officer, loan_of):
    mine, theirs = loan_of(officer), loan_of(other_officer)
    response = client_for(officer).get(reverse("face-signing-list"))
    gaps = list(response.context["gaps"])
    assert mine in gaps and theirs not in gaps
    assert client_for(officer).get(reverse("face-signing-create", args=[theirs.pk])).status_code == 404


def test_officer_gets_403_on_the_fake_mortgage_page(client_for, officer):
    client = client_for(officer)
    assert client.get(reverse("fake-mortgage-list")).status_code == 403
    assert client.post(reverse("fake-mortgage-run")).status_code == 403


def test_officer_cannot_edit_the_industry_policy(client_for, officer):
    assert client_for(officer).get(reverse("industry-policy-create")).status_code == 403


def test_branch_head_runs_the_check_and_sees_the_evidence(client_for, branch_head, officer, loan_of):
    for _index in range(3):
        loan_of(
            officer,
            product=Product.HOUSING,
            guarantee=Guarantee.MORTGAGE,
            property_project="东湖花园",
            developer="衡东县东湖房地产开发有限公司",
            borrower__employer="衡东县东湖房地产开发有限公司",
        )
    client = client_for(branch_head)
    client.post(reverse("fake-mortgage-run"))
    response = client.get(reverse("fake-mortgage-list"))
    assert (
        'data-testid="project-flag"' in response.content.decode() and "东湖花园" in response.content.decode()
    )


def test_receipt_for_a_loan_outside_the_portfolio_is_refused(client_for, officer, other_officer, loan_of):
    theirs = loan_of(other_officer, property_project="东湖花园")
    response = client_for(officer).post(
        reverse("receipt-list"),
        {"loan_no": theirs.loan_no, "receipt_no": "SF1", "paid_on": "2025-05-01", "receipt_amount": "1000"},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_branch_head_adds_an_industry_policy_with_a_bad_code_refused(client_for, branch_head):
    client = client_for(branch_head)
    response = client.post(
        reverse("industry-policy-create"), {"code": "26C", "name": "x", "level": "restricted"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        reverse("industry-policy-create"), {"code": "c2614", "name": "x", "level": "restricted"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_loan_and_borrower_pages_flag_a_restricted_industry(client_for, officer, branch):
    from loans.factories import BorrowerFactory, LoanFactory
    from loans.models import IndustryPolicy, PolicyLevel

    IndustryPolicy.objects.update_or_create(
        code="C26", defaults={"name": "化学原料和化学制品制造业", "level": PolicyLevel.RESTRICTED}
    )
    borrower = BorrowerFactory(corporate=True, branch=branch, officer=officer, industry_code="C2614")
    loan = LoanFactory(borrower=borrower)
    client = client_for(officer)
    for url in (reverse("loan-detail", args=[loan.loan_no]), reverse("borrower-detail", args=[borrower.pk])):
        content = client.get(url).content.decode()
        assert "C26 化学原料和化学制品制造业" in content, url
