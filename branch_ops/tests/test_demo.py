"""The whole demo, as `make run` seeds it: the story's figures, and still true the day after."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from loans.domain import NON_PERFORMING_CLASSES
from loans.models import Loan
from loans.services import delinquency_recompute


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_tells_the_story_and_stays_sound_after_the_daily_recompute(client):
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

    # The next morning's 05:00 job counts days past due on from the schedules.
    delinquency_recompute(as_of=timezone.localdate() + dt.timedelta(days=1))
    assert not Loan.objects.filter(risk_class__in=NON_PERFORMING_CLASSES).exists()
    overdue = Loan.objects.filter(days_past_due__gt=0).count()
    assert 10 <= overdue <= 60
