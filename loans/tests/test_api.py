import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from loans.factories import BorrowerFactory, LoanFactory, RepaymentFactory, ScheduleLineFactory
from loans.models import Loan, PersonalDataReveal, Repayment

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def loan_of(user, branch, **kwargs):
    return LoanFactory(borrower=BorrowerFactory(branch=branch, officer=user), **kwargs)


def test_api_needs_a_token():
    assert APIClient().get("/api/v1/loans/").status_code == 401
    assert APIClient().post("/api/v1/repayments/", {}).status_code == 401


def test_loan_list_is_scoped_and_filtered(officer, other_officer, branch_head, branch):
    mine = loan_of(officer, branch, product="housing", days_past_due=40, risk_class=2, bucket="31-60")
    loan_of(officer, branch, product="consumer")
    theirs = loan_of(other_officer, branch)
    numbers = [row["loan_no"] for row in api_for(officer).get("/api/v1/loans/").json()["results"]]
    assert theirs.loan_no not in numbers and mine.loan_no in numbers
    client = api_for(branch_head)
    assert client.get("/api/v1/loans/").json()["count"] == 3
    assert [row["loan_no"] for row in client.get("/api/v1/loans/?product=housing").json()["results"]] == [
        mine.loan_no
    ]
    assert [
        row["loan_no"] for row in client.get("/api/v1/loans/?min_days_past_due=30").json()["results"]
    ] == [mine.loan_no]
    assert [row["loan_no"] for row in client.get("/api/v1/loans/?class=2").json()["results"]] == [
        mine.loan_no
    ]
    assert client.get(f"/api/v1/loans/?officer={other_officer.pk}").json()["count"] == 1
    assert client.get("/api/v1/loans/?class=abc").status_code == 400


def test_loan_detail_has_schedule_and_repayments_and_masks_ids(officer, branch):
    loan = loan_of(officer, branch)
    ScheduleLineFactory(loan=loan, seq=1)
    RepaymentFactory(loan=loan, reference="LS-API")
    data = api_for(officer).get(f"/api/v1/loans/{loan.loan_no}/").json()
    assert data["schedule"][0]["seq"] == 1
    assert data["repayments"][0]["reference"] == "LS-API"
    assert data["borrower_id_number"] != loan.borrower.id_number
    assert data["borrower_id_number"].startswith(loan.borrower.id_number[:6] + "****")
    assert not PersonalDataReveal.objects.exists()


def test_reveal_in_the_api_is_logged_and_refused_to_compliance(officer, compliance_officer, branch):
    loan = loan_of(officer, branch)
    data = api_for(officer).get(f"/api/v1/loans/{loan.loan_no}/?reveal=1").json()
    assert data["borrower_id_number"] == loan.borrower.id_number
    logged = set(PersonalDataReveal.objects.values_list("user", "borrower", "loan", "channel", "field"))
    assert logged == {
        (officer.pk, loan.borrower_id, loan.pk, "api", "id_number"),
        (officer.pk, loan.borrower_id, loan.pk, "api", "phone"),
    }
    data = api_for(compliance_officer).get(f"/api/v1/loans/{loan.loan_no}/?reveal=1").json()
    assert data["borrower_id_number"] != loan.borrower.id_number
    assert PersonalDataReveal.objects.count() == 2


def test_the_api_list_logs_each_row_it_reveals(officer, branch):
    loans = [loan_of(officer, branch), loan_of(officer, branch)]
    data = api_for(officer).get("/api/v1/loans/?reveal=1").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert {row["borrower_id_number"] for row in rows} == {loan.borrower.id_number for loan in loans}
    logged = PersonalDataReveal.objects.filter(channel="api", field="id_number")
    assert set(logged.values_list("loan", flat=True)) == {loan.pk for loan in loans}


def test_another_officers_loan_answers_404(
    officer, other_officer, outsider, branch_head, branch, other_branch
):
    theirs = loan_of(other_officer, branch)
    foreign = loan_of(outsider, other_branch)
    assert api_for(officer).get(f"/api/v1/loans/{theirs.loan_no}/").status_code == 404
    assert api_for(branch_head).get(f"/api/v1/loans/{foreign.loan_no}/").status_code == 404
    response = api_for(officer).post(
        "/api/v1/repayments/",
        {
            "loan_no": theirs.loan_no,
            "paid_on": "2026-07-15",
            "principal": "1",
            "interest": "0",
            "reference": "X",
        },
        format="json",
    )
    assert response.status_code == 404
    assert not Repayment.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC))
def test_posting_the_same_reference_twice_records_one_payment(officer, branch):
    loan = loan_of(officer, branch)
    payload = {
        "loan_no": loan.loan_no,
        "paid_on": "2026-11-15",
        "principal": "1000.00",
        "interest": "20.00",
        "reference": "CORE-42",
    }
    client = api_for(officer)
    first = client.post("/api/v1/repayments/", payload, format="json")
    second = client.post("/api/v1/repayments/", payload, format="json")
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Repayment.objects.get().source == "api"
    assert Loan.objects.get(pk=loan.pk).balance == Decimal("79000.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principal": "-1"}, "principal"),
        ({"interest": "-1"}, "interest"),
        ({"principal": "abc"}, "principal"),
        ({"principal": "1.234"}, "principal"),
        ({"paid_on": "2026-13-01"}, "paid_on"),
        ({"reference": ""}, "reference"),
        ({"reference": "   "}, "reference"),
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC))
def test_malformed_repayments_get_a_clear_400_and_change_nothing(officer, branch, changes, field):
    loan = loan_of(officer, branch)
    payload = {
        "loan_no": loan.loan_no,
        "paid_on": "2026-11-15",
        "principal": "100",
        "interest": "1",
        "reference": "CORE-1",
    } | changes
    response = api_for(officer).post("/api/v1/repayments/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Repayment.objects.exists()
    assert Loan.objects.get(pk=loan.pk).balance == Decimal("80000.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principal": "80000.01"}, "principal"),
        ({"paid_on": "2025-01-01"}, "paid_on"),
        ({"paid_on": "2026-12-01"}, "paid_on"),
        ({"principal": "0", "interest": "0"}, "non_field_errors"),
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC))
def test_repayments_the_ledger_refuses_answer_409_and_change_nothing(officer, branch, changes, field):
    loan = loan_of(officer, branch)
    payload = {
        "loan_no": loan.loan_no,
        "paid_on": "2026-11-15",
        "principal": "100",
        "interest": "1",
        "reference": "CORE-1",
    } | changes
    response = api_for(officer).post("/api/v1/repayments/", payload, format="json")
    assert response.status_code == 409
    assert field in response.json()
    assert not Repayment.objects.exists()
    assert Loan.objects.get(pk=loan.pk).balance == Decimal("80000.00")


@time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC))
def test_the_same_reference_with_another_amount_answers_409_naming_the_recorded_values(officer, branch):
    loan = loan_of(officer, branch)
    payload = {
        "loan_no": loan.loan_no,
        "paid_on": "2026-11-15",
        "principal": "1000.00",
        "interest": "20.00",
        "reference": "CORE-43",
    }
    client = api_for(officer)
    assert client.post("/api/v1/repayments/", payload, format="json").status_code == 201
    second = client.post("/api/v1/repayments/", payload | {"principal": "900.00"}, format="json")
    assert second.status_code == 409
    assert second.json()["recorded"] == {
        "loan_no": loan.loan_no,
        "paid_on": "2026-11-15",
        "principal": "1000.00",
        "interest": "20.00",
    }
    assert Repayment.objects.count() == 1
    assert Loan.objects.get(pk=loan.pk).balance == Decimal("79000.00")


def test_a_json_array_body_answers_400(officer):
    response = api_for(officer).post("/api/v1/repayments/", [1, 2], format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "reveal=yes",
        "reveal=2",
        "reveal=1&reveal=1",
        "class=9",
        "product=boat",
        "officer=",
        "page=0",
        "page=x",
    ],
)
def test_loan_list_refuses_parameters_the_schema_does_not_allow(officer, query):
    assert api_for(officer).get(f"/api/v1/loans/?{query}").status_code == 400


def test_a_page_past_the_end_answers_404(officer):
    assert api_for(officer).get("/api/v1/loans/?page=2").status_code == 404


def test_a_loan_number_with_a_nul_answers_404(officer):
    assert api_for(officer).get("/api/v1/loans/A%00B/").status_code == 404


def test_unknown_loan_number_answers_404(officer):
    response = api_for(officer).post(
        "/api/v1/repayments/",
        {"loan_no": "NOPE", "paid_on": "2026-07-15", "principal": "1", "interest": "0", "reference": "X"},
        format="json",
    )
    assert response.status_code == 404


def test_openapi_schema_lists_the_loan_endpoints(officer):
    response = api_for(officer).get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/loans/{loan_no}/" in body and "/api/v1/repayments/" in body


def _overdue_loan(user, branch):
    loan = loan_of(user, branch, balance=Decimal("50000.00"), annual_rate=Decimal("4.35"))
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 5, 1))  # 2600 + 300 unpaid
    ScheduleLineFactory(loan=loan, seq=2, due_on=dt.date(2026, 6, 1))
    return loan


def test_quote_api_gives_the_arrears_and_settlement_figures_on_a_date(officer, branch):
    loan = _overdue_loan(officer, branch)
    response = api_for(officer).get(f"/api/v1/loans/{loan.loan_no}/quote/?date=2026-05-31")
    assert response.status_code == 200
    body = response.json()
    assert body["loan_no"] == loan.loan_no and body["date"] == "2026-05-31" and body["is_estimate"] is True
    assert (body["penalty_interest"], body["compound_interest"]) == ("14.14", "1.63")
    assert (body["to_clear"], body["to_settle"]) == ("2915.77", "50487.60")


@time_machine.travel(dt.datetime(2026, 5, 31, 4, tzinfo=dt.UTC))
def test_quote_api_defaults_to_today_and_refuses_a_bad_date(officer, branch):
    loan = _overdue_loan(officer, branch)
    client = api_for(officer)
    assert client.get(f"/api/v1/loans/{loan.loan_no}/quote/").json()["date"] == "2026-05-31"
    response = client.get(f"/api/v1/loans/{loan.loan_no}/quote/?date=31.05.2026")
    assert response.status_code == 400 and "date" in response.json()


def test_quote_api_answers_404_for_another_officers_loan(officer, other_officer, branch):
    theirs = _overdue_loan(other_officer, branch)
    assert api_for(officer).get(f"/api/v1/loans/{theirs.loan_no}/quote/").status_code == 404


def test_openapi_schema_documents_the_quote(officer):
    body = api_for(officer).get("/api/schema/").content.decode()
    assert "/api/v1/loans/{loan_no}/quote/" in body and "to_settle" in body


def test_openapi_schema_documents_the_error_answers_and_the_reveal_enum(officer):
    schema = api_for(officer).get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403"} <= set(operation["responses"]), (method, path)
    repayments = schema["paths"]["/api/v1/repayments/"]["post"]["responses"]
    assert {"200", "201", "404", "409"} <= set(repayments)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/loans/"]["get"]["parameters"]}
    assert parameters["reveal"]["schema"]["enum"] == [0, 1]
    assert parameters["page"]["schema"]["minimum"] == 1
