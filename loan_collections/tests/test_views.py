import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from loan_collections.contact_policy import SHANGHAI
from loan_collections.factories import CollectionCaseFactory, PromiseToPayFactory, overdue_loan
from loan_collections.models import CollectionSettings, ContactAttempt, PromiseStatus, PromiseToPay, Stage
from loans.factories import BorrowerFactory, ScheduleLineFactory
from loans.models import PersonalDataReveal

NOW = dt.datetime(2026, 11, 18, 11, 0, tzinfo=SHANGHAI)


@pytest.fixture
def case(branch, officer):
    borrower = BorrowerFactory(branch=branch, officer=officer, phone="13912345678")
    overdue_loan(borrower=borrower)
    return CollectionCaseFactory(borrower=borrower)


@pytest.fixture
def outsider_case(other_branch, outsider):
    borrower = BorrowerFactory(branch=other_branch, officer=outsider)
    overdue_loan(borrower=borrower)
    return CollectionCaseFactory(borrower=borrower)


CASE_PAGES = [
    "collections-case",
    "collections-case-move",
    "collections-contact-new",
    "collections-plan-new",
    "collections-legal-new",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASE_PAGES)
def test_another_officers_case_answers_404(client_for, other_officer, case, name):
    assert client_for(other_officer).get(reverse(name, args=[case.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASE_PAGES)
def test_another_branchs_case_answers_404_even_for_the_branch_head(
    client_for, branch_head, outsider_case, name
):
    assert client_for(branch_head).get(reverse(name, args=[outsider_case.pk])).status_code == 404


@pytest.mark.django_db
def test_the_officer_and_the_branch_head_see_the_case(client_for, officer, branch_head, case):
    for user in (officer, branch_head):
        response = client_for(user).get(reverse("collections-case", args=[case.pk]))
        assert response.status_code == 200 and case.borrower.name in response.content.decode()


@pytest.mark.django_db
def test_the_compliance_officer_sees_the_phone_masked(client_for, compliance_officer, case):
    body = client_for(compliance_officer).get(reverse("collections-case", args=[case.pk])).content.decode()
    assert "139****5678" in body and "13912345678" not in body


@pytest.mark.django_db
def test_the_officer_sees_the_phone_masked_until_a_logged_reveal(client_for, officer, case):
    client = client_for(officer)
    body = client.get(reverse("collections-case", args=[case.pk])).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    assert not PersonalDataReveal.objects.exists()
    body = client.post(reverse("collections-case-reveal", args=[case.pk])).content.decode()
    assert "13912345678" in body
    reveal = PersonalDataReveal.objects.get()
    assert (reveal.user, reveal.borrower, reveal.channel, reveal.field) == (
        officer,
        case.borrower,
        "page",
        "phone",
    )


@pytest.mark.django_db
def test_the_compliance_officer_cannot_reveal_the_phone_on_a_case(client_for, compliance_officer, case):
    response = client_for(compliance_officer).post(reverse("collections-case-reveal", args=[case.pk]))
    assert response.status_code == 403
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.django_db
def test_worklist_shows_only_my_cases_and_todays_status(client_for, officer, other_officer, case, branch):
    theirs = CollectionCaseFactory(borrower=BorrowerFactory(branch=branch, officer=other_officer))
    with time_machine.travel(NOW):
        body = client_for(officer).get(reverse("collections-worklist")).content.decode()
    assert case.borrower.name in body and theirs.borrower.name not in body
    assert 'data-testid="quiet-status"' in body


@pytest.mark.django_db
def test_worklist_names_a_quiet_day(client_for, officer):
    with time_machine.travel(dt.datetime(2026, 2, 16, 11, 0, tzinfo=SHANGHAI)):
        body = client_for(officer).get(reverse("collections-worklist")).content.decode()
    assert "腊月廿九" in body and "2026-02-18 10:00" in body


@pytest.mark.django_db
def test_home_panel_shows_my_cases(client_for, officer, case):
    body = client_for(officer).get(reverse("home")).content.decode()
    assert 'data-testid="collections-panel"' in body and case.borrower.name in body


@pytest.mark.django_db
def test_contact_form_logs_a_contact_with_a_promise(client_for, officer, case):
    with time_machine.travel(NOW):
        response = client_for(officer).post(
            reverse("collections-contact-new", args=[case.pk]),
            {
                "contacted_at": "2026-11-18T10:30",
                "channel": "phone",
                "party": "borrower",
                "outcome": "promise",
                "promise_amount": "2900.00",
                "promise_date": "2026-11-20",
            },
        )
    assert response.status_code == 302
    assert PromiseToPay.objects.get().amount == Decimal("2900.00")


@pytest.mark.django_db
def test_contact_form_refuses_a_forbidden_time_and_saves_nothing(client_for, officer, case):
    with time_machine.travel(NOW):
        response = client_for(officer).post(
            reverse("collections-contact-new", args=[case.pk]),
            {
                "contacted_at": "2026-11-18T09:00",
                "channel": "visit",
                "party": "borrower",
                "outcome": "no_answer",
            },
        )
    assert response.status_code == 200 and "10:00" in response.content.decode()
    assert not ContactAttempt.objects.exists()


@pytest.mark.django_db
def test_contact_form_page_loads_the_warning_script(client_for, officer, case):
    body = client_for(officer).get(reverse("collections-contact-new", args=[case.pk])).content.decode()
    assert "loan_collections/contact_window.js" in body and "<script>" not in body


@pytest.mark.django_db
def test_stage_move_refused_shows_the_reason(client_for, officer, case):
    response = client_for(officer).post(
        reverse("collections-case-move", args=[case.pk]), {"to_stage": "closed", "reason": "done"}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.stage == Stage.REMINDER


@pytest.mark.django_db
def test_settings_page_is_for_the_branch_head_only(client_for, officer, branch_head, branch):
    assert client_for(officer).get(reverse("collections-settings")).status_code == 403
    response = client_for(branch_head).post(
        reverse("collections-settings"),
        {
            "quiet_lunar_days": "on",
            "last_day_rule": "literal_30",
            "earliest_time": "09:30",
            "latest_time": "19:00",
            "weekly_call_cap": "2",
            "late_entry_hours": "24",
        },
    )
    assert response.status_code == 302
    saved = CollectionSettings.objects.get(branch=branch)
    assert saved.last_day_rule == "literal_30" and saved.weekly_call_cap == 2
    assert saved.late_entry_hours == 24


@pytest.mark.django_db
def test_overdue_cause_of_another_officers_loan_answers_404(client_for, other_officer, case):
    loan = case.borrower.loans.get()
    assert (
        client_for(other_officer).get(reverse("collections-overdue-cause", args=[loan.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_targets_page_renders(client_for, branch_head, case):
    assert client_for(branch_head).get(reverse("collections-targets")).status_code == 200


@pytest.mark.django_db
def test_open_case_form_offers_only_my_borrowers(client_for, officer, other_officer, branch):
    mine = BorrowerFactory(branch=branch, officer=officer)
    theirs = BorrowerFactory(branch=branch, officer=other_officer)
    client = client_for(officer)
    body = client.get(reverse("collections-case-open")).content.decode()
    assert mine.name in body and theirs.name not in body
    response = client.post(reverse("collections-case-open"), {"borrower": theirs.pk, "reason": "x"})
    assert response.status_code == 200 and not theirs.collection_cases.exists()


# --- API ---------------------------------------------------------------------------------


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_contact_window_api_answers_allowed_reason_and_next_allowed(officer):
    response = api_for(officer).get(reverse("api-contact-window"), {"at": "2026-02-16T11:00:00+08:00"})
    assert response.status_code == 200
    data = response.json()
    assert data["allowed"] is False and "腊月廿九" in data["reason"]
    assert data["next_allowed"] == "2026-02-18T10:00:00+08:00"


@pytest.mark.django_db
def test_contact_window_api_refuses_a_bad_time(officer):
    assert api_for(officer).get(reverse("api-contact-window"), {"at": "tomorrow"}).status_code == 400


@pytest.mark.django_db
def test_contact_window_api_hides_another_officers_case(other_officer, case):
    response = api_for(other_officer).get(
        reverse("api-contact-window"), {"at": "2026-03-04T11:00", "case": case.pk}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_contact_attempts_api_validates_like_the_form(officer, case):
    client = api_for(officer)
    payload = {
        "case": case.pk,
        "contacted_at": "2026-11-18T09:00:00+08:00",
        "channel": "phone",
        "party": "borrower",
        "outcome": "no_answer",
    }
    with time_machine.travel(NOW):
        refused = client.post(reverse("api-contact-attempts"), payload, format="json")
        payload["contacted_at"] = "2026-11-18T10:30:00+08:00"
        created = client.post(reverse("api-contact-attempts"), payload, format="json")
    assert refused.status_code == 409 and "contacted_at" in refused.json()
    assert created.status_code == 201 and ContactAttempt.objects.count() == 1


@pytest.mark.django_db
def test_contact_attempts_api_hides_another_officers_case(other_officer, case):
    payload = {
        "case": case.pk,
        "contacted_at": "2026-11-18T10:30:00+08:00",
        "channel": "phone",
        "party": "borrower",
        "outcome": "no_answer",
    }
    assert (
        api_for(other_officer).post(reverse("api-contact-attempts"), payload, format="json").status_code
        == 404
    )


@pytest.mark.django_db
def test_contact_log_cannot_be_deleted_in_the_admin(admin_client, case):
    from loan_collections.factories import ContactAttemptFactory

    contact = ContactAttemptFactory(case=case)
    response = admin_client.get(reverse("admin:loan_collections_contactattempt_delete", args=[contact.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_measure_is_marked_done_and_another_officer_gets_404(client_for, officer, other_officer, case):
    from loan_collections import services

    plan = services.plan_create(case=case, by=officer, year=2026)
    measure = services.plan_measure_add(
        plan=plan, by=officer, kind="visit", owner=officer, target_date=dt.date(2026, 12, 1)
    )
    assert (
        client_for(other_officer).post(reverse("collections-measure-done", args=[measure.pk])).status_code
        == 404
    )
    assert client_for(officer).post(reverse("collections-measure-done", args=[measure.pk])).status_code == 302
    measure.refresh_from_db()
    assert measure.done_on is not None


@pytest.mark.django_db
def test_a_lawsuit_document_above_the_upload_limit_is_refused(client_for, officer, case, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loan_collections.models import LegalAction

    settings.MAX_UPLOAD_SIZE = 10
    case.stage = Stage.LEGAL
    case.save()
    response = client_for(officer).post(
        reverse("collections-legal-new", args=[case.pk]),
        {
            "filed_on": "2026-11-01",
            "court": "衡东县人民法院",
            "court_case_no": "(2026)湘0424民初9号",
            "claim_amount": "2900",
            "documents": SimpleUploadedFile("起诉状.pdf", b"x" * 100),
        },
    )
    assert response.status_code == 200 and not LegalAction.objects.exists()


@pytest.mark.django_db
def test_case_page_shows_each_active_loans_arrears_quote_for_the_date_asked(client_for, officer, branch):
    borrower = BorrowerFactory(branch=branch, officer=officer)
    loan = overdue_loan(borrower=borrower, balance=Decimal("50000.00"))
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 5, 1))  # 2600 + 300 unpaid
    case = CollectionCaseFactory(borrower=borrower)
    response = client_for(officer).get(
        reverse("collections-case", args=[case.pk]), {"quote_date": "2026-05-31"}
    )
    body = response.content.decode()
    assert "欠款试算" in body and "估算，以核心系统为准" in body
    assert 'name="quote_date" value="2026-05-31"' in body
    assert 'data-testid="quote-penalty">14.14<' in body
    assert 'data-testid="quote-clear"><strong>2,915.77<' in body


def test_branch_head_home_lists_the_promises_broken_today(client_for, branch_head, officer, branch):
    borrower = BorrowerFactory(branch=branch, officer=officer, name="违约户")
    kept_quiet = BorrowerFactory(branch=branch, officer=officer, name="昨日户")
    with time_machine.travel(dt.datetime(2026, 11, 20, 17, 0, tzinfo=SHANGHAI), tick=False):
        for who, due in ((borrower, dt.date(2026, 11, 20)), (kept_quiet, dt.date(2026, 11, 19))):
            PromiseToPayFactory(
                contact__case__borrower=who,
                due_on=due,
                status=PromiseStatus.BROKEN,
                checked_at=timezone.now(),
            )
        body = client_for(branch_head).get(reverse("home")).content.decode()
    start = body.index('data-testid="home-broken-promises"')
    panel = body[start : body.index("</ul>", start)]
    assert "违约户" in panel
    assert "昨日户" not in panel


def _case_due(branch, officer, name, next_action_on):
    borrower = BorrowerFactory(branch=branch, officer=officer, name=name)
    overdue_loan(borrower=borrower)
    return CollectionCaseFactory(borrower=borrower, next_action="电话催收", next_action_on=next_action_on)


def test_officer_worklist_marks_past_and_todays_next_steps_in_words_and_offers_to_log_a_contact(
    client_for, officer, branch
):
    late = _case_due(branch, officer, "拖欠户", dt.date(2026, 11, 10))
    _case_due(branch, officer, "今日户", dt.date(2026, 11, 15))
    _case_due(branch, officer, "下周户", dt.date(2026, 11, 22))
    with time_machine.travel(dt.datetime(2026, 11, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        body = client_for(officer).get(reverse("collections-worklist")).content.decode()
    rows = {
        name: body[body.index(name) : body.index("</tr>", body.index(name))]
        for name in ("拖欠户", "今日户", "下周户")
    }
    assert 'data-testid="next-step-overdue"' in rows["拖欠户"] and "逾期" in rows["拖欠户"]
    assert 'data-testid="next-step-today"' in rows["今日户"] and "今天" in rows["今日户"]
    assert "next-step" not in rows["下周户"]
    assert reverse("collections-contact-new", args=[late.pk]) in rows["拖欠户"]


def test_officer_home_lists_todays_cases_with_a_log_contact_button(client_for, officer, branch):
    case = _case_due(branch, officer, "拖欠户", dt.date(2026, 11, 10))
    with time_machine.travel(dt.datetime(2026, 11, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        body = client_for(officer).get(reverse("home")).content.decode()
    assert 'data-testid="next-step-overdue"' in body
    assert reverse("collections-contact-new", args=[case.pk]) in body


def test_compliance_officer_is_not_offered_collection_actions_they_may_not_take(
    client_for, compliance_officer, case
):
    client = client_for(compliance_officer)
    for page in (reverse("collections-case", args=[case.pk]), reverse("collections-worklist")):
        body = client.get(page).content.decode()
        assert reverse("collections-contact-new", args=[case.pk]) not in body
        assert reverse("collections-case-move", args=[case.pk]) not in body
    for name in ("collections-contact-new", "collections-case-move", "collections-plan-new"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 403
