"""Coming due (到期预警): the items found from the ledger's dates, the actions generated for
them, the weekly digest, the page, the API and the dashboard rows."""

import datetime as dt
import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token

from branch_ops.celery import app
from core.registry import DashboardScope
from loans.factories import BorrowerFactory, CollateralFactory, GuarantorFactory
from loans.models import Guarantee, Loan
from notifications.models import EmailStatus, OutgoingEmail
from post_loan.coming_due import Kind, coming_due_items, coming_due_table
from post_loan.dashboard_sections import coming_due_context, coming_due_report_tables
from post_loan.models import RequiredAction
from post_loan.services import action_templates_seed, coming_due_weekly_digest_send, required_actions_generate
from post_loan.tasks import send_coming_due_weekly_digest

MONDAY = dt.date(2026, 11, 30)


def days(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC), tick=True):
        yield


def _kinds(loans=None, horizon=90):
    items = coming_due_items(loans or Loan.objects.all(), as_of=MONDAY, horizon=horizon)
    return [(item.kind, item.loan_no, item.days_left) for item in items]


@pytest.fixture
def one_of_each(officer, loan_of):
    """One item of each kind on the officer's loans, due within 30 days or overdue."""
    maturing = loan_of(officer, matures_on=days(30))
    mortgaged = loan_of(officer, guarantee=Guarantee.MORTGAGE, matures_on=days(400))
    CollateralFactory(loan=mortgaged, appraised_on=dt.date(2025, 11, 29))  # revaluation overdue 1 day
    CollateralFactory(loan=mortgaged, appraised_on=days(-30), insurance_expires_on=days(-1))
    company = loan_of(officer, borrower__corporate=True, matures_on=days(400))
    company.borrower.licence_expires_on = days(20)
    company.borrower.save()
    guaranteed = loan_of(officer, guarantee=Guarantee.SURETY, matures_on=days(400))
    GuarantorFactory(loan=guaranteed, guarantee_ends_on=days(25))
    return {
        Kind.MATURITY: maturing,
        Kind.REVALUATION: mortgaged,
        Kind.INSURANCE: mortgaged,
        Kind.LICENCE: company,
        Kind.GUARANTEE: guaranteed,
    }


def test_a_loan_maturing_in_exactly_30_60_or_90_days_is_within_that_horizon(officer, loan_of):
    for n in (30, 31, 60, 90, 91):
        loan_of(officer, matures_on=days(n), loan_no=f"M{n}")
    loan_of(officer, matures_on=days(-1), loan_no="PAST")  # past maturity: the collections' business
    assert [no for _k, no, _d in _kinds(horizon=30)] == ["M30"]
    assert [no for _k, no, _d in _kinds(horizon=60)] == ["M30", "M31", "M60"]
    assert [no for _k, no, _d in _kinds(horizon=90)] == ["M30", "M31", "M60", "M90"]


def test_revaluation_is_due_a_year_after_the_appraisal_and_overdue_the_day_after(officer, loan_of):
    loan = loan_of(officer, guarantee=Guarantee.MORTGAGE, matures_on=days(500), loan_no="R1")
    CollateralFactory(loan=loan, appraised_on=dt.date(2025, 12, 30))  # due in exactly 30 days
    CollateralFactory(loan=loan, appraised_on=dt.date(2025, 11, 29))  # due yesterday: overdue
    CollateralFactory(loan=loan, appraised_on=dt.date(2026, 6, 1))  # next June: beyond 90 days
    assert _kinds(horizon=30) == [(Kind.REVALUATION, "R1", -1), (Kind.REVALUATION, "R1", 30)]


def test_insurance_expired_yesterday_shows_as_overdue_and_one_past_maturity_does_not(officer, loan_of):
    loan = loan_of(officer, guarantee=Guarantee.MORTGAGE, matures_on=days(100), loan_no="I1")
    CollateralFactory(loan=loan, appraised_on=days(-10), insurance_expires_on=days(-1))
    CollateralFactory(loan=loan, appraised_on=days(-10), insurance_expires_on=days(101))
    [item] = coming_due_items(Loan.objects.all(), as_of=MONDAY)
    assert (item.kind, item.days_left, item.overdue, item.days_overdue) == (Kind.INSURANCE, -1, True, 1)


def test_guarantee_ending_the_day_the_loan_matures_is_not_before_the_loan(officer, loan_of):
    loan = loan_of(officer, guarantee=Guarantee.SURETY, matures_on=days(200), loan_no="G1")
    GuarantorFactory(loan=loan, guarantee_ends_on=days(200))
    assert _kinds(horizon=90) == []
    GuarantorFactory(loan=loan, guarantee_ends_on=days(60))
    assert _kinds(horizon=90) == [(Kind.GUARANTEE, "G1", 60)]


def test_only_a_corporate_borrower_has_a_business_licence_date(branch, officer):
    person = BorrowerFactory(branch=branch, officer=officer)
    person.licence_expires_on = days(10)
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()
    company = BorrowerFactory(branch=branch, officer=officer, corporate=True, licence_expires_on=days(10))
    assert company.licence_expires_on == days(10)


def test_each_item_gets_one_required_action_of_the_officer_however_often_the_job_runs(officer, one_of_each):
    action_templates_seed()
    assert required_actions_generate(as_of=MONDAY) > 0
    assert required_actions_generate(as_of=MONDAY) == 0
    expected = {
        "maturity-reminder": one_of_each[Kind.MATURITY],
        "insurance-renewal": one_of_each[Kind.INSURANCE],
        "licence-renewal": one_of_each[Kind.LICENCE],
        "guarantee-gap": one_of_each[Kind.GUARANTEE],
    }
    for code, loan in expected.items():
        [action] = RequiredAction.objects.filter(template__code=code)
        assert action.loan == loan and action.responsible == officer, code
    # The loans arrived today: what fell due before (licence 30 days before day 20, insurance
    # expired yesterday) is due today, not charged as late.
    for code in expected:
        assert RequiredAction.objects.get(template__code=code).due_on == MONDAY, code


def test_weekly_digest_groups_the_officers_items_by_kind_with_links(officer, other_officer, one_of_each):
    assert coming_due_weekly_digest_send(day=MONDAY) == 1
    email = OutgoingEmail.objects.get(kind="coming_due_weekly", recipient=officer)
    text = email.body_text
    print(email.subject, text, sep="\n")  # read as the officer would: pytest -s
    assert email.subject.startswith("到期预警周报")
    for heading in ("贷款到期", "押品重估", "抵押物保险到期", "营业执照到期", "保证合同先于贷款到期"):
        assert heading + " (1)" in text or heading + " (2)" in text, heading
    assert "已过期 1 天" in text and "还有 30 天" in text
    assert f"/loans/{one_of_each[Kind.MATURITY].loan_no}/" in text
    assert reverse("coming-due") in text
    # Nothing coming due: no email.
    assert not OutgoingEmail.objects.filter(recipient=other_officer).exists()


def test_weekly_digest_is_sent_once_a_week(officer, one_of_each):
    assert coming_due_weekly_digest_send(day=MONDAY) == 1
    assert coming_due_weekly_digest_send(day=MONDAY) == 0
    assert coming_due_weekly_digest_send(day=days(2)) == 0  # Wednesday of the same week
    assert coming_due_weekly_digest_send(day=days(7)) == 1  # next Monday
    assert OutgoingEmail.objects.filter(kind="coming_due_weekly").count() == 2


def test_officer_sees_only_their_own_items_the_head_the_branch(
    client_for, officer, other_officer, branch_head, outsider, compliance_officer, loan_of
):
    loan_of(officer, matures_on=days(10), loan_no="MINE")
    loan_of(other_officer, matures_on=days(10), loan_no="THEIRS")

    def shown(user, query=""):
        response = client_for(user).get(reverse("coming-due") + query)
        assert response.status_code == 200
        return [item.loan_no for item, _officer in response.context["rows"]]

    assert shown(officer) == ["MINE"]
    assert shown(branch_head) == ["MINE", "THEIRS"]
    assert shown(compliance_officer) == ["MINE", "THEIRS"]
    assert shown(outsider) == []


def test_the_page_filters_by_kind_and_horizon_and_refuses_odd_values_calmly(client_for, officer, one_of_each):
    client = client_for(officer)
    page = client.get(reverse("coming-due") + "?kind=guarantee&horizon=30")
    assert [item.kind for item, _ in page.context["rows"]] == [Kind.GUARANTEE]
    assert "到期预警" in page.content.decode()
    odd = client.get(reverse("coming-due") + "?kind=nonsense&horizon=45")
    assert odd.status_code == 200 and odd.context["form"].errors
    assert client.logout() is None
    assert client.get(reverse("coming-due")).status_code == 302  # login first


def test_the_page_without_a_filter_shows_the_horizon_it_lists(client_for, officer, one_of_each):
    page = client_for(officer).get(reverse("coming-due"))
    assert page.context["horizon"] == 90
    assert page.context["form"]["horizon"].value() == 90


def test_api_lists_the_users_items_and_refuses_an_unknown_kind(client, officer, other_officer, one_of_each):
    token = Token.objects.create(user=other_officer)
    headers = {"authorization": f"Token {token.key}"}
    assert client.get(reverse("api-coming-due"), headers=headers).json()["count"] == 0
    token = Token.objects.create(user=officer)
    headers = {"authorization": f"Token {token.key}"}
    body = client.get(reverse("api-coming-due") + "?kind=licence&horizon=30", headers=headers).json()
    assert [row["loan_no"] for row in body["results"]] == [one_of_each[Kind.LICENCE].loan_no]
    assert body["results"][0]["days_left"] == 20
    assert client.get(reverse("api-coming-due") + "?kind=x", headers=headers).status_code == 400


def test_loan_api_carries_the_coming_due_dates(client, officer, one_of_each):
    token = Token.objects.create(user=officer)
    loan = one_of_each[Kind.INSURANCE]
    body = client.get(
        reverse("api-loan-detail", args=[loan.loan_no]), headers={"authorization": f"Token {token.key}"}
    ).json()
    assert days(-1).isoformat() in [item["insurance_expires_on"] for item in body["collateral"]]
    assert body["borrower_licence_expires_on"] is None and body["guarantors"] == []


def test_dashboard_and_report_count_the_items_by_kind(officer, branch, one_of_each):
    scope = DashboardScope(user=officer, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=MONDAY)
    rows = {row["kind"]: row for row in coming_due_context(scope)["rows"]}
    assert rows[Kind.REVALUATION]["overdue"] == 1 and rows[Kind.INSURANCE]["overdue"] == 1
    assert rows[Kind.MATURITY]["within_30"] == 1 and rows[Kind.MATURITY]["overdue"] == 0
    assert rows[Kind.LICENCE]["within_30"] == rows[Kind.LICENCE]["within_90"] == 1
    [table] = coming_due_report_tables(scope)
    assert len(table.rows) == 5 and table.headers[-1] == "90 天内"
    assert coming_due_table(Loan.objects.none(), as_of=MONDAY)[0]["within_90"] == 0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_weekly_digest_runs_on_a_real_worker_and_mails_once(officer, loan_of):
    loan_of(officer, matures_on=days(45))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert send_coming_due_weekly_digest.delay(MONDAY.isoformat()).get(timeout=30) == 1
        assert send_coming_due_weekly_digest.delay(MONDAY.isoformat()).get(timeout=30) == 0
        email = OutgoingEmail.objects.get(kind="coming_due_weekly", recipient=officer)
        for _ in range(200):
            email.refresh_from_db()
            if email.status == EmailStatus.SENT:
                break
            time.sleep(0.05)
    assert email.status == EmailStatus.SENT
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 1
