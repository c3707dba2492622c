import datetime as dt

import pytest
import time_machine

from loan_collections import demo
from loan_collections.contact_policy import SHANGHAI
from loan_collections.factories import overdue_loan
from loan_collections.models import (
    CollectionCase,
    ContactAttempt,
    LegalAction,
    PromiseStatus,
    PromiseToPay,
    Stage,
)
from loans.factories import BorrowerFactory, LoanFactory


@pytest.mark.django_db
def test_demo_does_nothing_without_overdue_loans():
    demo.seed()
    assert not CollectionCase.objects.exists()


@pytest.mark.django_db
def test_demo_builds_every_stage_and_is_idempotent(branch, officer, other_officer, branch_head):
    for index in range(6):
        borrower = BorrowerFactory(branch=branch, officer=officer if index % 2 else other_officer)
        overdue_loan(borrower=borrower, days=10 + index * 20)
    LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)):
        demo.seed()
        counts = (CollectionCase.objects.count(), ContactAttempt.objects.count())
        demo.seed()
    assert (CollectionCase.objects.count(), ContactAttempt.objects.count()) == counts
    stages = set(CollectionCase.objects.values_list("stage", flat=True))
    assert stages >= {Stage.REMINDER, Stage.INTENSIVE, Stage.ESCALATED, Stage.LEGAL, Stage.CLOSED}
    assert CollectionCase.objects.get(stage=Stage.ESCALATED).co_owner == branch_head
    assert LegalAction.objects.count() == 1
    statuses = set(PromiseToPay.objects.values_list("status", flat=True))
    assert {PromiseStatus.KEPT, PromiseStatus.BROKEN} <= statuses


@pytest.mark.django_db
def test_every_collections_page_renders_on_the_demo_data(
    client_for, branch, officer, other_officer, branch_head
):
    from django.urls import reverse

    from loan_collections.models import CollectionPlan

    for index in range(6):
        overdue_loan(borrower=BorrowerFactory(branch=branch, officer=officer), days=10 + index * 20)
    LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)):
        demo.seed()
    client = client_for(branch_head)
    urls = [
        reverse("collections-worklist"),
        reverse("collections-targets"),
        reverse("collections-settings"),
        reverse("collections-case-open"),
        reverse("home"),
    ]
    for case in CollectionCase.objects.all():
        urls += [
            reverse(name, args=[case.pk])
            for name in (
                "collections-case",
                "collections-case-move",
                "collections-contact-new",
                "collections-plan-new",
                "collections-legal-new",
            )
        ]
        urls += [reverse("collections-overdue-cause", args=[loan.pk]) for loan in case.borrower.loans.all()]
    urls += [reverse("collections-measure-new", args=[plan.pk]) for plan in CollectionPlan.objects.all()]
    urls += [reverse("collections-legal-edit", args=[action.pk]) for action in LegalAction.objects.all()]
    for url in urls:
        assert client.get(url).status_code == 200, url
