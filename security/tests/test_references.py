"""Objects named inside a request (API body or query, a form's choice) are scoped like URLs:
another officer's loan, case or borrower is unknown (404, or a form error), nothing saved."""

import pytest
from django.urls import reverse

from loans.models import Repayment

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(people):
    from security.tests import registry

    case = registry._case(people)
    loan = case.borrower.loans.get()
    return {"case": case, "loan": loan, "borrower": case.borrower}


def test_repayment_api_refuses_another_officers_loan(client_for, people, owned):
    client = client_for(people.other_officer)
    body = {
        "loan_no": owned["loan"].loan_no,
        "paid_on": "2026-11-02",
        "principal": "100.00",
        "interest": "1.00",
        "reference": "X1",
    }
    response = client.post(reverse("api-repayment-create"), body, content_type="application/json")
    assert response.status_code == 404 and not Repayment.objects.exists()


def test_contact_api_refuses_another_officers_case(client_for, people, owned):
    client = client_for(people.outsider)
    response = client.post(
        reverse("api-contact-attempts"),
        {"case": owned["case"].pk, "contacted_at": "2026-11-18T11:00", "channel": "phone"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client_for(people.other_officer).get(
        reverse("api-contact-window"), {"at": "2026-11-18T11:00+08:00", "case": owned["case"].pk}
    )
    assert response.status_code == 404


def test_list_apis_filtered_by_another_officer_return_nothing_of_theirs(client_for, people, owned):
    from post_loan.factories import RequiredActionFactory

    RequiredActionFactory(loan=owned["loan"])
    client = client_for(people.other_officer)
    loans = client.get(reverse("api-loan-list"), {"officer": people.officer.pk}).json()
    actions = client.get(reverse("api-required-actions"), {"officer": people.officer.pk}).json()
    for payload in (loans, actions):
        rows = payload["results"] if isinstance(payload, dict) else payload
        assert rows == []


def test_dashboard_api_refuses_another_branch(client_for, people):
    response = client_for(people.branch_head).get(
        reverse("api-dashboard-summary"), {"branch": people.other_branch.code}
    )
    assert response.status_code == 404


def test_forms_refuse_another_officers_borrower_or_loan(client_for, people, owned):
    from loan_collections.models import CollectionCase

    client = client_for(people.other_officer)
    client.post(reverse("collections-case-open"), {"borrower": owned["borrower"].pk, "reason": "x"})
    assert CollectionCase.objects.count() == 1  # only the owner's
    response = client.post(
        reverse("receipt-list"),
        {
            "loan_no": owned["loan"].loan_no,
            "receipt_no": "R1",
            "paid_on": "2026-11-02",
            "receipt_amount": "1.00",
        },
    )
    assert response.status_code == 200  # the form again, with "No such loan in your portfolio."
    from screening.models import DownPaymentReceipt

    assert not DownPaymentReceipt.objects.exists()
