"""The whole demo, as `make run` seeds it: the story's figures, and still true the day after."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from compliance.models import Violation, ViolationStatus
from loan_collections.models import ContactAttempt
from loans.domain import NON_PERFORMING_CLASSES
from loans.models import Loan
from loans.services import delinquency_recompute
from post_loan.models import ActionStatus, RequiredAction


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_tells_the_story_of_a_model_branch_and_stays_sound_after_the_daily_recompute(client):
    """One seed for every check: seeding the whole demo takes a minute."""
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: a second start of `make run` changes nothing
    last_month_end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)

    client.force_login(Loan.objects.first().branch.staff.get(role="branch_head").user)
    response = client.get(reverse("api-dashboard-summary"), {"as_of": last_month_end.isoformat()})
    assert response.status_code == 200, response.content
    summary = response.json()
    assert Decimal(summary["balance"]) == Decimal("219210000.00")
    assert Decimal(summary["change_since_year_start"]) == Decimal("18960000.00")
    assert Decimal(summary["npl_balance"]) == 0
    assert summary["zero_npl_years"] >= 10

    today = timezone.localdate()

    # A model branch: a handful of late actions, all recent, at most two per officer.
    late = RequiredAction.objects.filter(status=ActionStatus.LATE)
    per_officer = dict(
        late.values_list("responsible__username")
        .annotate(n=Count("id"))
        .values_list("responsible__username", "n")
    )
    assert 1 <= late.count() <= 10, per_officer
    assert max(per_officer.values()) <= 4, per_officer
    assert late.filter(due_on__lt=today - dt.timedelta(days=14)).count() == 0
    assert "officer1" in per_officer  # the officer of the journeys has something to show
    assert Violation.objects.filter(status=ViolationStatus.PENDING).count() <= 10

    # Every contact is on or after its case was opened and after the loan was disbursed.
    for contact in ContactAttempt.objects.select_related("case__borrower"):
        day = timezone.localtime(contact.contacted_at).date()
        assert day >= contact.case.opened_on, (contact.pk, day, contact.case.opened_on)
        disbursed = max(loan.disbursed_on for loan in contact.case.borrower.loans.all())
        assert day >= disbursed, (contact.pk, day, disbursed)

    # The home page's figures are the dashboard's, for the head and for an officer.
    User = get_user_model()
    for username in ("head", "officer1"):
        client.force_login(User.objects.get(username=username))
        home = _panel(client.get(reverse("home")), "post_loan/_home_panel.html")
        dashboard = _section(client.get(reverse("dashboard")), "post_loan/_dashboard_section.html")
        assert home["late"] == dashboard["late_count"], username

    # The next morning's 05:00 job counts days past due on from the schedules. The only
    # non-performing loans are the ones the demo's officers classified by hand today: the
    # restructured 借新还旧 (its floor keeps it 次级) and the two written off as a loss.
    handled = set(Loan.objects.filter(risk_class__in=NON_PERFORMING_CLASSES).values_list("pk", flat=True))
    assert len(handled) == 3
    assert all(
        loan.class_floor >= 3 or loan.status == "written_off" for loan in Loan.objects.filter(pk__in=handled)
    )
    delinquency_recompute(as_of=timezone.localdate() + dt.timedelta(days=1))
    assert (
        set(Loan.objects.filter(risk_class__in=NON_PERFORMING_CLASSES).values_list("pk", flat=True))
        == handled
    )
    overdue = Loan.objects.filter(days_past_due__gt=0).count()
    assert 10 <= overdue <= 60


def _panel(response, template):
    return next(panel["context"] for panel in response.context["panels"] if panel["template"] == template)


def _section(response, template):
    return next(
        section["context"] for section in response.context["sections"] if section["template"] == template
    )
