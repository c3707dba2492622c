import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from loan_collections.api import YEARS_PATTERN
from loan_collections.contact_policy import FIRST_YEAR, LAST_YEAR, PolicyRules, contact_window
from loan_collections.factories import CollectionCaseFactory, overdue_loan
from loan_collections.models import ContactAttempt
from loans.factories import BorrowerFactory

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "at", ["0001-01-01T10:00:00Z", "1899-06-01T11:00", "2100-06-01T11:00", "9999-12-31T23:59"]
)
def test_a_time_outside_the_lunar_tables_answers_a_clear_400(officer, at):
    response = api_for(officer).get(reverse("api-contact-window"), {"at": at})
    assert response.status_code == 400
    assert f"{FIRST_YEAR}" in response.json()["at"][0]


@pytest.mark.parametrize("at", [f"{FIRST_YEAR}-01-01T00:00:00+14:00", f"{LAST_YEAR}-12-31T23:59:59-12:00"])
def test_the_edges_of_the_supported_years_answer_in_any_time_zone(officer, at):
    assert api_for(officer).get(reverse("api-contact-window"), {"at": at}).status_code == 200


def test_the_schema_pattern_and_the_policy_accept_the_same_years():
    for year in (FIRST_YEAR - 1, FIRST_YEAR, 2026, LAST_YEAR, LAST_YEAR + 1):
        in_pattern = re.match(YEARS_PATTERN, f"{year:04d}-06-01T11:00") is not None
        assert in_pattern == (FIRST_YEAR <= year <= LAST_YEAR), year


def test_the_policy_refuses_a_year_outside_the_tables_with_a_validation_error():
    with pytest.raises(ValidationError):
        contact_window(dt.datetime(2150, 1, 1, 11, tzinfo=dt.UTC), PolicyRules())


@pytest.mark.parametrize(
    "query", ["channel=fax", "case=abc", "case=0", "at=2026-11-20T10:30&at=2026-11-21T10:30"]
)
def test_contact_window_refuses_parameters_the_schema_does_not_allow(officer, query):
    assert api_for(officer).get(f"{reverse('api-contact-window')}?{query}").status_code == 400


def test_a_json_array_as_a_contact_attempt_answers_400_and_logs_nothing(officer):
    response = api_for(officer).post(reverse("api-contact-attempts"), [{"case": 1}], format="json")
    assert response.status_code == 400
    assert not ContactAttempt.objects.exists()


def test_a_contact_attempt_outside_the_lunar_tables_answers_400_and_logs_nothing(officer, branch):
    borrower = BorrowerFactory(branch=branch, officer=officer)
    overdue_loan(borrower=borrower)
    case = CollectionCaseFactory(borrower=borrower)
    payload = {
        "case": case.pk,
        "contacted_at": "0001-01-01T10:30:00Z",
        "channel": "phone",
        "party": "borrower",
        "outcome": "no_answer",
    }
    response = api_for(officer).post(reverse("api-contact-attempts"), payload, format="json")
    assert response.status_code == 400 and "contacted_at" in response.json()
    assert not ContactAttempt.objects.exists()
