import io

import pghistory
import pytest
from django.db import connection

from loans.factories import LoanFactory
from loans.models import Loan

pytestmark = pytest.mark.django_db


def loan_events(loan):
    return list(pghistory.models.Events.objects.tracks(loan).order_by("pgh_created_at", "pgh_id"))


def test_a_set_based_update_is_recorded_with_its_diff():
    loan = LoanFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE loans_loan SET balance = balance - 100 WHERE id = %s", [loan.pk])
    update = loan_events(loan)[-1]
    assert update.pgh_label == "update"
    assert list(update.pgh_diff) == ["balance"]


def test_rows_copied_in_are_recorded():
    template = LoanFactory()
    buffer = io.StringIO(
        f"COPY-1,,{template.branch_id},{template.borrower_id},{template.officer_id},consumer,credit,"
        "2026-01-01,2027-01-01,1000,1000,4.35,equal_instalment,1,0,0,0,current,1,active,,,,"
        "2026-11-20 10:00+08,2026-11-20 10:00+08\n"
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY loans_loan (loan_no, contract_no, branch_id, borrower_id, officer_id, product, guarantee,"
            " disbursed_on, matures_on, principal, balance, annual_rate, repayment_method, repayment_day,"
            " overdue_principal, overdue_interest, days_past_due, bucket, risk_class, status, property_project,"
            " developer, as_of, created_at, updated_at) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (contract_no,"
            " property_project, developer))",
            buffer,
        )
    copied = Loan.objects.get(loan_no="COPY-1")
    assert [event.pgh_label for event in loan_events(copied)] == ["insert"]


def test_touching_only_timestamps_or_schedule_terms_records_nothing():
    loan = LoanFactory()
    before = len(loan_events(loan))
    Loan.objects.filter(pk=loan.pk).update(schedule_terms="x")
    loan.save()
    assert len(loan_events(loan)) == before


def test_the_request_user_is_attached_to_page_changes(client_for, officer, branch):
    from django.urls import reverse

    from loans.factories import BorrowerFactory
    from loans.selectors import loan_history

    loan = LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    client_for(officer).post(
        reverse("classification-create", args=[loan.loan_no]), {"to_class": "2", "reason": "x"}
    )
    rows = loan_history(loan)
    assert any(row["who"] == officer.profile.full_name and row["changes"] for row in rows)
