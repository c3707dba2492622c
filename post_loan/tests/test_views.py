import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token

from post_loan.models import ActionStatus, RequiredAction
from post_loan.services import action_templates_seed, required_actions_mark_late


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        yield


def test_officer_sees_their_worklist_with_due_and_late_actions(client_for, officer, action_of):
    action_of(officer, due_on=dt.date(2026, 11, 21))
    late = action_of(officer, due_on=dt.date(2026, 11, 1))
    required_actions_mark_late(as_of=dt.date(2026, 11, 20))
    response = client_for(officer).get(reverse("actions-worklist"))
    assert response.status_code == 200
    assert f'data-action="{late.pk}"' in response.content.decode()
    assert (
        len(response.context["lists"]["due_this_week"]) == 1 and len(response.context["lists"]["late"]) == 1
    )


def test_officer_cannot_open_another_officers_action(client_for, officer, other_officer, action_of):
    action = action_of(other_officer)
    assert client_for(officer).get(reverse("action-detail", args=[action.pk])).status_code == 404


def test_officer_cannot_complete_another_officers_action_by_post(
    client_for, officer, other_officer, action_of
):
    action = action_of(other_officer)
    response = client_for(officer).post(
        reverse("action-detail", args=[action.pk]), {"completed_on": "2026-11-20", "findings": "x"}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING


def test_completion_form_on_one_page_records_the_action(client_for, officer, action_of):
    action = action_of(officer)
    client = client_for(officer)
    assert client.get(reverse("action-detail", args=[action.pk])).status_code == 200
    response = client.post(
        reverse("action-detail", args=[action.pk]), {"completed_on": "2026-11-20", "findings": "正常"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_completion_without_required_findings_shows_the_error_and_saves_nothing(
    client_for, officer, action_of
):
    action = action_of(officer)
    response = client_for(officer).post(
        reverse("action-detail", args=[action.pk]), {"completed_on": "2026-11-20"}
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING


@pytest.mark.parametrize(
    "url_name", ["actions-branch", "actions-scorecard", "actions-penalties", "action-template-list"]
)
def test_officer_gets_403_on_branch_head_pages(client_for, officer, url_name):
    assert client_for(officer).get(reverse(url_name)).status_code == 403


def test_officer_cannot_waive_or_review(client_for, officer, action_of):
    action = action_of(officer)
    client = client_for(officer)
    assert client.post(reverse("action-waive", args=[action.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("action-review", args=[action.pk]), {"decision": "accept"}).status_code == 403


def test_branch_head_pages_show_rates_scorecard_and_penalties(client_for, branch_head, officer, action_of):
    action_of(officer, due_on=dt.date(2026, 11, 5))
    required_actions_mark_late(as_of=dt.date(2026, 11, 20))
    client = client_for(branch_head)
    overview = client.get(reverse("actions-branch"), {"month": "2026-11"})
    assert overview.status_code == 200
    assert overview.context["per_officer"][0]["late"] == 1
    scorecard = client.get(reverse("actions-scorecard"), {"month": "2026-11"})
    assert scorecard.context["rows"][0]["penalty_points"] == 1
    penalties = client.get(reverse("actions-penalties"))
    assert len(penalties.context["rows"]) == 1 and penalties.context["rows"][0][1] is not None


def test_branch_head_waives_with_a_reason_from_the_page(client_for, branch_head, officer, action_of):
    action = action_of(officer)
    client = client_for(branch_head)
    client.post(reverse("action-waive", args=[action.pk]), {"reason": ""})
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING
    client.post(reverse("action-waive", args=[action.pk]), {"reason": "贷款已结清"})
    action.refresh_from_db()
    assert action.status == ActionStatus.WAIVED


def test_branch_head_edits_a_template(client_for, branch_head):
    action_templates_seed()
    client = client_for(branch_head)
    assert client.get(reverse("action-template-list")).status_code == 200
    response = client.post(
        reverse("action-template-create"),
        {
            "code": "extra-check",
            "name": "专项检查",
            "trigger": "after_disbursement",
            "offset_days": 10,
            "is_active": "on",
            "required_fields": ["findings"],
        },
    )
    assert response.status_code == 302


def test_api_lists_only_the_officers_own_actions_with_filters(client, officer, other_officer, action_of):
    mine = action_of(officer, due_on=dt.date(2026, 11, 25))
    action_of(officer, due_on=dt.date(2026, 12, 25))
    action_of(other_officer)
    token = Token.objects.create(user=officer)
    response = client.get(
        "/api/v1/required-actions/",
        {"status": "pending", "due_before": "2026-12-01"},
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    bad = client.get(
        "/api/v1/required-actions/", {"due_before": "soon"}, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert bad.status_code == 400


def test_api_filters_by_officer_for_the_branch_head(
    client_for, branch_head, officer, other_officer, action_of
):
    action_of(officer)
    action_of(other_officer)
    response = client_for(branch_head).get("/api/v1/required-actions/", {"officer": officer.pk})
    assert response.status_code == 200 and response.json()["count"] == 1


def test_api_needs_authentication(client):
    assert client.get("/api/v1/required-actions/").status_code == 401


def test_home_shows_the_officers_actions_panel(client_for, officer, action_of):
    action_of(officer, due_on=dt.date(2026, 11, 21))
    response = client_for(officer).get(reverse("home"))
    assert 'data-testid="actions-panel"' in response.content.decode()


def test_home_shows_the_branch_heads_counts(client_for, branch_head):
    response = client_for(branch_head).get(reverse("home"))
    assert 'data-testid="actions-panel"' in response.content.decode()


def test_evidence_download_is_scoped(client_for, officer, other_officer, action_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from post_loan.services import required_action_complete

    action = action_of(officer)
    required_action_complete(
        action=action,
        user=officer,
        completed_on=dt.date(2026, 11, 20),
        findings="x",
        files=[SimpleUploadedFile("photo.jpg", b"jpeg")],
    )
    evidence = action.evidence.get()
    url = reverse("action-evidence", args=[action.pk, evidence.pk])
    assert client_for(other_officer).get(url).status_code == 404
    assert client_for(officer).get(url).status_code == 200
    assert RequiredAction.objects.count() == 1


def test_worklist_speaks_chinese_by_default(client_for, officer):
    assert "我的贷后规定动作" in client_for(officer).get(reverse("actions-worklist")).content.decode()
