import datetime as dt

import pytest
import time_machine

from accounts import demo as accounts_demo
from accounts.models import StaffProfile
from loans.factories import BorrowerFactory, LoanFactory
from loans.models import BorrowerType, Guarantee, Product
from post_loan import demo as post_loan_demo
from post_loan.models import ActionStatus, ActionTemplate, RequiredAction
from screening import demo as screening_demo
from screening.models import EarlyWarningSignal, FaceSigning, FlagKind, ProjectFlag


def _demo_ledger():
    officers = [p.user for p in StaffProfile.objects.filter(role="officer").order_by("employee_no")]
    branch = officers[0].profile.branch
    for index in range(30):
        officer = officers[index % len(officers)]
        borrower = BorrowerFactory(branch=branch, officer=officer)
        LoanFactory(
            borrower=borrower,
            disbursed_on=dt.date(2026, 6, 1) + dt.timedelta(days=5 * index),
            days_past_due=10 if index % 9 == 0 else 0,
            risk_class=2 if index % 9 == 0 else 1,
        )
    for index in range(6):
        borrower = BorrowerFactory(
            branch=branch,
            officer=officers[0],
            employer="衡东县东湖房地产开发有限公司" if index < 5 else "衡东县人民医院",
        )
        LoanFactory(
            borrower=borrower,
            product=Product.HOUSING,
            guarantee=Guarantee.MORTGAGE,
            property_project="东湖花园",
            developer="衡东县东湖房地产开发有限公司",
            disbursed_on=dt.date(2025, 12, 1),
        )
    corporate = BorrowerFactory(corporate=True, branch=branch, officer=officers[1])
    LoanFactory(borrower=corporate, disbursed_on=dt.date(2026, 8, 1), product=Product.WORKING_CAPITAL)
    assert corporate.borrower_type == BorrowerType.CORPORATE


@pytest.mark.django_db
def test_demo_does_nothing_but_templates_without_loans():
    accounts_demo.seed()
    post_loan_demo.seed()
    screening_demo.seed()
    assert ActionTemplate.objects.exists() and not RequiredAction.objects.exists()


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC), tick=False)
def test_demo_gives_a_realistic_spread_and_is_idempotent():
    accounts_demo.seed()
    _demo_ledger()
    for _run in range(2):
        post_loan_demo.seed()
        screening_demo.seed()
        if _run == 0:
            counts = (
                RequiredAction.objects.count(),
                EarlyWarningSignal.objects.count(),
                FaceSigning.objects.count(),
                ProjectFlag.objects.count(),
            )
    assert counts == (
        RequiredAction.objects.count(),
        EarlyWarningSignal.objects.count(),
        FaceSigning.objects.count(),
        ProjectFlag.objects.count(),
    )
    statuses = set(RequiredAction.objects.values_list("status", flat=True))
    assert {ActionStatus.DONE, ActionStatus.PENDING, ActionStatus.LATE} <= statuses
    assert EarlyWarningSignal.objects.count() >= 1
    assert 0 < FaceSigning.objects.count() < 36
    assert set(ProjectFlag.objects.values_list("kind", flat=True)) == {
        FlagKind.EMPLOYER_IS_DEVELOPER,
        FlagKind.RECEIPT_MISMATCH,
    }


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC), tick=False)
def test_every_page_renders_on_the_demo_data(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from screening.models import EarlyWarningSignal as Signal

    accounts_demo.seed()
    _demo_ledger()
    post_loan_demo.seed()
    screening_demo.seed()
    User = get_user_model()
    head, officer1 = User.objects.get(username="head"), User.objects.get(username="officer1")
    action = RequiredAction.objects.filter(responsible=officer1).first()
    signal = Signal.objects.first()
    loan = action.loan
    pages = [
        reverse("actions-worklist"),
        reverse("action-list") + "?status=late",
        reverse("action-detail", args=[action.pk]),
        reverse("action-create", args=[loan.pk]),
        reverse("actions-branch"),
        reverse("actions-scorecard"),
        reverse("actions-penalties"),
        reverse("action-template-list"),
        reverse("action-template-create"),
        reverse("screening-home"),
        reverse("industry-policy-list"),
        reverse("industry-policy-create"),
        reverse("industry-flagged"),
        reverse("signal-list"),
        reverse("signal-detail", args=[signal.pk]),
        reverse("signal-create", args=[loan.borrower_id]),
        reverse("face-signing-list"),
        reverse("face-signing-create", args=[loan.pk]),
        reverse("fake-mortgage-list"),
        reverse("receipt-list"),
        reverse("home"),
    ]
    client.force_login(head)
    for page in pages:
        assert client.get(page).status_code == 200, page
    client.force_login(officer1)
    for page in pages[:4] + [reverse("screening-home"), reverse("face-signing-list"), reverse("home")]:
        assert client.get(page).status_code == 200, page
