"""A query parameter that Python's isdigit() accepts but int() does not ('²'), or that is written
in full-width digits, is read through core.text: a 4xx or the default, never a server error."""

import pytest
from django.urls import reverse

from loans.factories import LoanFactory

pytestmark = pytest.mark.django_db
ODD = ["²", "１", "١٢", "99999999999999999999999", "-1"]


@pytest.mark.parametrize("value", ODD)
def test_odd_digits_in_query_parameters_never_cause_a_server_error(client_for, branch_head, officer, value):
    loan = LoanFactory(officer=officer, branch=officer.profile.branch)
    pages = [
        (branch_head, reverse("compliance-my-record"), "year"),
        (branch_head, reverse("compliance-violations"), "year"),
        (branch_head, reverse("api-required-actions"), "officer"),
        (officer, reverse("signal-create", args=[loan.borrower_id]), "loan"),
    ]
    for user, url, name in pages:
        response = client_for(user).get(url, {name: value})
        assert response.status_code < 500, (url, value, response.status_code)
