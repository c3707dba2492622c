"""Opening collection cases from two writers at once, on the real PostgreSQL: one open case
per borrower, and neither writer fails (core.locks, ``loan_collections.cases``)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.testing import run_together
from loan_collections import services
from loan_collections.factories import overdue_loan
from loan_collections.models import CollectionCase, StageChange
from loans.factories import BorrowerFactory

pytestmark = pytest.mark.django_db(transaction=True)
AS_OF = dt.date(2026, 11, 18)


def test_two_case_syncs_at_once_open_one_case_per_borrower(branch, officer):
    borrowers = BorrowerFactory.create_batch(30, branch=branch, officer=officer)
    for borrower in borrowers:
        overdue_loan(borrower=borrower, days=10)
    ids = [borrower.pk for borrower in borrowers]

    results = run_together(
        lambda: services.cases_sync(as_of=AS_OF),
        lambda: services.cases_sync(as_of=AS_OF, borrower_ids=ids),
    )

    assert sorted(result["opened"] for result in results) == [0, 30]
    assert CollectionCase.objects.count() == 30
    assert StageChange.objects.count() == 30


def test_a_case_opened_by_hand_while_the_job_runs_leaves_one_case(branch, officer):
    borrower = BorrowerFactory(branch=branch, officer=officer)
    overdue_loan(borrower=borrower, days=10)

    def by_hand():
        try:
            return services.case_open(borrower=borrower, by=officer, as_of=AS_OF)
        except ValidationError:  # the job was first: the borrower has its case
            return None

    run_together(by_hand, lambda: services.cases_sync(as_of=AS_OF))

    assert CollectionCase.objects.filter(borrower=borrower).count() == 1
