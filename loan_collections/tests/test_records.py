"""Records that tell the truth: a contact keeps when it was entered apart from when it took
place, backdating needs a reason and shows to the branch head, and a follow-up is closed by
the contact made for it or with a written reason."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from loan_collections import services
from loan_collections.contact_policy import SHANGHAI
from loan_collections.factories import CollectionCaseFactory, PromiseToPayFactory, overdue_loan
from loan_collections.models import CollectionSettings, ContactAttempt, FollowUpTask
from loan_collections.selectors import late_entries_visible_to
from loans.factories import BorrowerFactory

NOW = dt.datetime(2026, 11, 18, 11, 0, tzinfo=SHANGHAI)  # a Wednesday, 农历九月廿九


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(branch, officer):
    borrower = BorrowerFactory(branch=branch, officer=officer)
    overdue_loan(borrower=borrower, disbursed_on=dt.date(2025, 6, 15))
    return CollectionCaseFactory(borrower=borrower, opened_on=dt.date(2026, 11, 1))


def log(case, by, **kwargs):
    values = {
        "contacted_at": NOW,
        "channel": "phone",
        "party": "borrower",
        "outcome": "no_answer",
        "now": NOW,
    }
    values.update(kwargs)
    return services.contact_log(case=case, by=by, **values)


def refusal(case, by, **kwargs) -> dict[str, list[str]]:
    before = ContactAttempt.objects.count()
    with pytest.raises(ValidationError) as caught:
        log(case, by, **kwargs)
    assert ContactAttempt.objects.count() == before
    return caught.value.message_dict


# --- entered apart from when it took place ---------------------------------------------------


@pytest.mark.django_db
def test_a_contact_keeps_when_it_was_entered_apart_from_when_it_took_place(case, officer):
    contact = log(case, officer, contacted_at=at("2026-11-17 15:00"))
    contact.refresh_from_db()
    assert contact.contacted_at == at("2026-11-17 15:00") and contact.entered_at == NOW
    assert contact.late_entry_reason == ""


@pytest.mark.django_db
def test_the_database_refuses_a_contact_that_took_place_after_it_was_entered(case, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactAttempt.objects.create(
            case=case,
            officer=officer,
            contacted_at=NOW + dt.timedelta(hours=1),
            entered_at=NOW,
            channel="sms",
            party="borrower",
            outcome="no_answer",
        )


@pytest.mark.django_db
def test_a_contact_before_the_borrowers_first_loan_was_disbursed_is_refused(case, officer):
    errors = refusal(case, officer, contacted_at=at("2025-06-10 11:00"), late_entry_reason="纸质台账补录")
    assert any("first loan was disbursed on 2025-06-15" in message for message in errors["contacted_at"])


@pytest.mark.django_db
def test_a_contact_before_the_case_was_opened_is_refused(case, officer):
    errors = refusal(case, officer, contacted_at=at("2026-10-28 11:00"), late_entry_reason="纸质台账补录")
    assert any("opened on 2026-11-01" in message for message in errors["contacted_at"])


@pytest.mark.django_db
def test_a_contact_older_than_48_hours_needs_a_late_entry_reason(case, officer):
    errors = refusal(case, officer, contacted_at=at("2026-11-16 10:30"))
    assert "48 hours" in errors["late_entry_reason"][0]
    contact = log(
        case, officer, contacted_at=at("2026-11-16 10:30"), late_entry_reason="外出走访，回行后补录"
    )
    assert contact.late_entry_reason == "外出走访，回行后补录"


@pytest.mark.django_db
def test_a_contact_within_48_hours_needs_no_reason(case, officer):
    assert log(case, officer, contacted_at=at("2026-11-16 11:30")).pk


@pytest.mark.django_db
def test_the_branch_sets_its_own_late_entry_window(case, officer, branch):
    CollectionSettings.objects.create(branch=branch, late_entry_hours=12)
    errors = refusal(case, officer, contacted_at=at("2026-11-17 19:00"))
    assert "12 hours" in errors["late_entry_reason"][0]


@pytest.mark.django_db
def test_a_backdated_call_is_checked_against_when_it_took_place_not_when_entered(case, officer):
    # Entered at 11:00 (allowed), but it took place at 09:00 two days ago: before 10:00.
    early = refusal(case, officer, contacted_at=at("2026-11-16 09:00"), late_entry_reason="补录")
    assert "10:00" in early["contacted_at"][0]
    # 2026-11-09 is 农历十月初一, a quiet day.
    quiet = refusal(case, officer, contacted_at=at("2026-11-09 11:00"), late_entry_reason="补录")
    assert "lunar 1st" in quiet["contacted_at"][0]


@pytest.mark.django_db
def test_a_contact_in_the_future_is_refused_even_with_a_reason(case, officer):
    errors = refusal(case, officer, contacted_at=NOW + dt.timedelta(hours=2), late_entry_reason="x")
    assert "future" in errors["contacted_at"][0]


# --- the branch head sees late entries ---------------------------------------------------------


@pytest.mark.django_db
def test_the_branch_head_sees_late_entries_with_the_reason_and_a_count_on_the_worklist(
    client_for, case, officer, branch_head
):
    log(case, officer, contacted_at=at("2026-11-16 10:30"), late_entry_reason="外出走访，回行后补录")
    log(case, officer, contacted_at=at("2026-11-18 10:30"))  # entered on time: not listed
    with time_machine.travel(NOW):
        client = client_for(branch_head)
        page = client.get(reverse("collections-late-entries")).content.decode()
        worklist = client.get(reverse("collections-worklist")).content.decode()
    assert "外出走访，回行后补录" in page and "2026-11-16 10:30" in page and "2026-11-18 10:30" not in page
    assert 'data-testid="late-entry-count"' in worklist and "1 条联系记录为补录" in worklist


@pytest.mark.django_db
def test_late_entries_follow_each_branchs_window(case, officer, branch, branch_head):
    log(case, officer, contacted_at=at("2026-11-17 19:00"))  # 16 hours: fine under 48
    CollectionSettings.objects.create(branch=branch, late_entry_hours=12)
    assert late_entries_visible_to(branch_head).count() == 1


@pytest.mark.django_db
def test_a_loan_officer_cannot_open_the_late_entries_page(client_for, officer):
    assert client_for(officer).get(reverse("collections-late-entries")).status_code == 403


@pytest.mark.django_db
def test_the_api_refuses_a_late_entry_without_a_reason_and_keeps_one_with_it(case, officer):
    client = APIClient()
    client.force_authenticate(officer)
    payload = {
        "case": case.pk,
        "contacted_at": "2026-11-16T10:30:00+08:00",
        "channel": "phone",
        "party": "borrower",
        "outcome": "no_answer",
    }
    with time_machine.travel(NOW):
        refused = client.post(reverse("api-contact-attempts"), payload, format="json")
        created = client.post(
            reverse("api-contact-attempts"), payload | {"late_entry_reason": "系统故障补录"}, format="json"
        )
    assert refused.status_code == 409 and "late_entry_reason" in refused.json()
    assert created.status_code == 201
    assert ContactAttempt.objects.get().late_entry_reason == "系统故障补录"


# --- follow-ups: closed by a contact or with a reason --------------------------------------------


@pytest.fixture
def follow_up(case):
    """A promise due 2026-11-20 found broken at 16:00: "call again" at once."""
    PromiseToPayFactory(contact__case=case, amount=Decimal("2900.00"), due_on=dt.date(2026, 11, 20))
    services.promises_check(at=at("2026-11-20 16:00"))
    return FollowUpTask.objects.get()


@pytest.mark.django_db
def test_a_follow_up_cannot_be_closed_without_a_contact_or_a_reason(follow_up, officer):
    with pytest.raises(ValidationError, match="Log the contact"):
        services.follow_up_close(task=follow_up, by=officer, reason="  ")
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


@pytest.mark.django_db
def test_a_follow_up_closed_with_a_reason_keeps_the_reason_who_and_when(follow_up, officer):
    with time_machine.travel(at("2026-11-20 17:00")):
        services.follow_up_close(task=follow_up, by=officer, reason="借款人已到柜面还清")
    follow_up.refresh_from_db()
    assert follow_up.close_reason == "借款人已到柜面还清" and follow_up.closed_by == officer
    assert follow_up.done_at == at("2026-11-20 17:00") and follow_up.closed_by_contact is None
    with pytest.raises(ValidationError, match="already closed"):
        services.follow_up_close(task=follow_up, by=officer, reason="again")


@pytest.mark.django_db
def test_another_officer_in_the_branch_cannot_close_a_follow_up(follow_up, other_officer):
    with pytest.raises(ValidationError, match="Only the assigned officer"):
        services.follow_up_close(task=follow_up, by=other_officer, reason="not mine")


@pytest.mark.django_db
def test_the_contact_logged_for_a_follow_up_closes_it_and_is_kept_on_it(follow_up, case, officer):
    later = at("2026-11-20 17:00")
    contact = log(case, officer, contacted_at=later, now=later, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.closed_by_contact == contact and follow_up.closed_by == officer
    assert follow_up.done_at == later and follow_up.close_reason == ""


@pytest.mark.django_db
def test_a_contact_from_before_the_promise_was_broken_cannot_close_its_follow_up(follow_up, case, officer):
    errors = refusal(
        case, officer, contacted_at=at("2026-11-20 15:00"), now=at("2026-11-20 17:00"), follow_up=follow_up
    )
    assert "2026-11-20 16:00" in errors["contacted_at"][0]
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


@pytest.mark.django_db
def test_the_database_refuses_a_closed_follow_up_without_a_contact_or_a_reason(follow_up):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpTask.objects.filter(pk=follow_up.pk).update(done_at=NOW)


@pytest.mark.django_db
def test_the_worklist_close_button_without_a_reason_leaves_the_follow_up_open(client_for, follow_up, officer):
    response = client_for(officer).post(reverse("collections-task-done", args=[follow_up.pk]), follow=True)
    follow_up.refresh_from_db()
    assert follow_up.done_at is None
    with translation.override("zh-hans"):
        expected = gettext("Log the contact made for this follow-up, or say why it is closed without one.")
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_the_worklist_closes_a_follow_up_with_the_reason_written(client_for, follow_up, officer):
    client_for(officer).post(
        reverse("collections-task-done", args=[follow_up.pk]), {"reason": "已到柜面还清"}
    )
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None and follow_up.close_reason == "已到柜面还清"


@pytest.mark.django_db
def test_the_worklist_links_each_follow_up_to_the_contact_form_that_closes_it(
    client_for, follow_up, case, officer
):
    client = client_for(officer)
    link = f"{reverse('collections-contact-new', args=[case.pk])}?task={follow_up.pk}"
    with time_machine.travel(at("2026-11-20 17:00")):
        assert link in client.get(reverse("collections-worklist")).content.decode()
        response = client.post(
            link,
            {
                "contacted_at": "2026-11-20T17:00",
                "channel": "phone",
                "party": "borrower",
                "outcome": "refusal",
            },
        )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.closed_by_contact == ContactAttempt.objects.get(outcome="refusal")
