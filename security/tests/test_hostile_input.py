"""Hostile input: script in every free-text field renders inert, CSRF on every form, SQL-like
search strings are harmless."""

import importlib
import importlib.util
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import reverse

from core.testing import iter_endpoints
from loans.factories import BorrowerFactory, LoanFactory
from security.tests import registry as r

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


@dataclass(frozen=True)
class FormPage:
    url_name: str
    build: object = None
    persona: str = "officer"
    method: str = "post"
    extra: dict = field(default_factory=dict)


# Every Form and ModelForm of the project, with the page it is posted to.
FORM_PAGES = {
    "compliance.forms.RegulationForm": FormPage("compliance-regulation-create", persona="branch_head"),
    "compliance.forms.RegulationReviseForm": FormPage(
        "compliance-regulation-revise", r.regulation_pk, "branch_head"
    ),
    "compliance.forms.TrainingSessionForm": FormPage("compliance-session-edit", r.session_pk, "branch_head"),
    "compliance.forms.SessionCreateForm": FormPage("compliance-session-create", persona="branch_head"),
    "compliance.forms.AttendanceForm": FormPage("compliance-session-attendance", r.session_pk, "branch_head"),
    "compliance.forms.AttendanceAddForm": FormPage(
        "compliance-session-attendance-add", r.session_pk, "branch_head"
    ),
    "compliance.forms.MinutesForm": FormPage("compliance-meeting-minutes", r.session_pk, "branch_head"),
    "compliance.forms.ProblemForm": FormPage("compliance-problem-create", r.session_pk, "branch_head"),
    "compliance.forms.ResolveForm": FormPage("compliance-problem-resolve", r.problem_pk),
    "compliance.forms.ViolationForm": FormPage("compliance-violation-create", persona="branch_head"),
    "compliance.forms.AppealForm": FormPage("compliance-violation-appeal", r.violation_pk),
    "compliance.forms.QuestionForm": FormPage("compliance-question-create", persona="branch_head"),
    "compliance.forms.KnowledgeTestForm": FormPage("compliance-test-create", persona="branch_head"),
    "compliance.forms.TakeTestForm": FormPage("compliance-attempt", r.attempt_pk),
    "compliance.forms.GiftDeclarationForm": FormPage("compliance-gift-declare"),
    "compliance.forms.GiftReviewForm": FormPage("compliance-gift-review", r.gift_pk, "branch_head"),
    "dashboard.forms.SnapshotBuildForm": FormPage("dashboard-snapshot-build", persona="branch_head"),
    "dashboard.forms.SnapshotImportForm": FormPage("dashboard-snapshot-import", persona="branch_head"),
    "dashboard.forms.ReportGenerateForm": FormPage("dashboard-reports", persona="branch_head"),
    "ledger_import.forms.UploadForm": FormPage("import-upload", persona="branch_head"),
    "loan_collections.forms.ContactForm": FormPage("collections-contact-new", r.case_pk),
    "loan_collections.forms.StageMoveForm": FormPage("collections-case-move", r.case_pk),
    "loan_collections.forms.FollowUpCloseForm": FormPage("collections-task-done", r.task_pk),
    "loan_collections.forms.CaseOpenForm": FormPage("collections-case-open"),
    "loan_collections.forms.PlanForm": FormPage("collections-plan-new", r.case_pk),
    "loan_collections.forms.MeasureForm": FormPage("collections-measure-new", r.plan_pk),
    "loan_collections.forms.LegalActionForm": FormPage("collections-legal-new", r.case_pk),
    "loan_collections.forms.LegalUpdateForm": FormPage("collections-legal-edit", r.legal_pk),
    "loan_collections.forms.OverdueCauseForm": FormPage("collections-overdue-cause", r.loan_pk),
    "loan_collections.forms.CollectionSettingsForm": FormPage("collections-settings", persona="branch_head"),
    "loans.forms.LoanFilterForm": FormPage("loan-list", method="get"),
    "loans.forms.RepaymentForm": FormPage("repayment-create", r.loan_no),
    "loans.forms.QuoteDateForm": FormPage("loan-detail", r.loan_no, method="get"),
    "loans.forms.ClassificationProposeForm": FormPage("classification-create", r.loan_no),
    "loans.forms.ClassificationDecideForm": FormPage(
        "classification-decide", r.pending_upgrade, "branch_head"
    ),
    "post_loan.forms.CompletionForm": FormPage("action-detail", r.action_pk),
    "post_loan.forms.ReviewForm": FormPage("action-review", r.action_pk, "branch_head"),
    "post_loan.forms.WaiveForm": FormPage("action-waive", r.action_pk, "branch_head"),
    "post_loan.forms.ReassignForm": FormPage("action-reassign", r.action_pk, "branch_head"),
    "post_loan.forms.NewActionForm": FormPage("action-create", r.loan_id),
    "post_loan.forms.ActionTemplateForm": FormPage("action-template-create", persona="branch_head"),
    "post_loan.forms.ActionFilterForm": FormPage("action-list", method="get"),
    "screening.forms.IndustryPolicyForm": FormPage("industry-policy-create", persona="branch_head"),
    "screening.forms.SignalForm": FormPage("signal-create", r.borrower_id),
    "screening.forms.SignalVerifyForm": FormPage("signal-detail", r.signal_pk, extra={"verify": "1"}),
    "screening.forms.SignalCloseForm": FormPage("signal-detail", r.signal_pk, extra={"close": "1"}),
    "screening.forms.FaceSigningForm": FormPage("face-signing-create", r.individual_loan_id),
    "screening.forms.ReceiptForm": FormPage("receipt-list", persona="branch_head"),
    "loans.forms.RestructuringForm": FormPage("restructuring-create", r.loan_no),
    "loans.forms.RestructuringReviewForm": FormPage(
        "restructuring-review", r.restructuring_in_observation, "branch_head"
    ),
    "post_loan.forms.ComingDueFilterForm": FormPage("coming-due", method="get"),
    "watchlist.forms.WatchlistFilterForm": FormPage("watchlist", method="get"),
    "writeoffs.forms.WriteOffProposeForm": FormPage("writeoff-propose", r.loss_loan_no),
    "writeoffs.forms.WriteOffDecideForm": FormPage("writeoff-decide", r.write_off_proposed, "branch_head"),
    "writeoffs.forms.RecoveryForm": FormPage("writeoff-recovery-create", r.write_off_approved),
}


# Forms whose page shows neither the typed text nor the saved record after the post.
# (Their text is still checked never to appear raw.)
NOT_ECHOED = {
    "compliance.forms.AttendanceAddForm",  # an employee number, looked up, not stored
    "compliance.forms.MinutesForm",  # shown on morning meetings only; the sample is a study session
    "compliance.forms.RegulationReviseForm",  # errors go to messages as Django's own text
    "loans.forms.ClassificationDecideForm",  # back to the approvals list
    "loan_collections.forms.FollowUpCloseForm",  # back to the worklist; the reason shows on the case
    "post_loan.forms.ReassignForm",
    "post_loan.forms.ReviewForm",
    "screening.forms.SignalCloseForm",  # refused before verification, with the service's message
}


def project_forms() -> dict[str, type]:
    """Every Form/ModelForm class defined in a ``forms`` module of the project's own apps."""
    own = {config.name for config in apps.get_app_configs() if "site-packages" not in config.path}
    for name in own:
        if importlib.util.find_spec(f"{name}.forms"):
            importlib.import_module(f"{name}.forms")
    found, stack = {}, [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            app, _, rest = sub.__module__.partition(".")
            if app in own and rest == "forms":
                found[f"{sub.__module__}.{sub.__name__}"] = sub
    return found


def text_fields(form_class) -> list[str]:
    """Free-text fields: CharFields a person types into (not choices, not hidden)."""
    return [
        name
        for name, field_ in form_class.base_fields.items()
        if isinstance(field_, forms.CharField)
        and not isinstance(field_.widget, forms.HiddenInput | forms.PasswordInput)
    ]


def test_the_form_list_is_complete():
    found = set(project_forms())
    assert found, "no forms discovered"
    missing = sorted(found - set(FORM_PAGES))
    assert not missing, f"add these forms to FORM_PAGES with the page that posts them: {missing}"
    assert not sorted(set(FORM_PAGES) - found)


@pytest.mark.django_db
@pytest.mark.parametrize("form_name", sorted(FORM_PAGES))
def test_script_in_every_text_field_renders_inert(client, people, form_name):
    page = FORM_PAGES[form_name]
    form_class = project_forms()[form_name]
    client.force_login(getattr(people, page.persona))
    for payload in PAYLOADS:
        # A fresh record each time: the first post may have used it up (a decision taken).
        url = reverse(page.url_name, kwargs=page.build(people) if page.build else None)
        data = dict.fromkeys(text_fields(form_class), payload) | page.extra
        if page.method == "get":
            response = client.get(url, data)
        else:
            response = client.post(url, data, follow=True)
        # 400: the page re-rendered with the form's errors.
        assert response.status_code in (200, 400), (url, response.status_code)
        content = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in content, (form_name, marker)
        # The page itself (and the record's own page, where one was saved) shows it escaped.
        content += client.get(url).content.decode() if page.method == "post" else ""
        assert not any(marker in content for marker in RAW_MARKERS)
        if text_fields(form_class) and form_name not in NOT_ECHOED:
            assert "&lt;script&gt;" in content or "&lt;img src=x" in content, (
                form_name,
                response.redirect_chain,
                [str(m) for m in response.context["messages"]] if response.context else None,
            )


@pytest.mark.django_db
def test_stored_script_renders_inert_on_the_pages_that_show_it(client_for, branch, officer, branch_head):
    payload = PAYLOADS[0]
    borrower = BorrowerFactory(branch=branch, officer=officer, name=payload)
    loan = LoanFactory(borrower=borrower, property_project=payload)
    client = client_for(branch_head)
    for url in (
        reverse("loan-list"),
        reverse("loan-detail", args=[loan.loan_no]),
        reverse("borrower-list"),
        reverse("borrower-detail", args=[borrower.pk]),
        reverse("dashboard"),
    ):
        content = client.get(url).content.decode()
        assert "<script>alert(1)" not in content, url
    # The API answers JSON, which a browser never renders as HTML (nosniff).
    response = client.get(reverse("api-loan-detail", args=[loan.loan_no]))
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ESCAPED[0] in client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()


# --- CSRF ----------------------------------------------------------------------------------

POSTABLE = [e for e in iter_endpoints() if not e.path.startswith("/admin/") and e.name not in {"healthz"}]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", POSTABLE, ids=lambda endpoint: endpoint.path)
def test_every_post_without_the_csrf_token_is_refused(branch_head, endpoint):
    strict = Client(enforce_csrf_checks=True)
    if endpoint.name not in {"login", "set_language"}:
        strict.force_login(branch_head)
    response = strict.post(endpoint.path, {"x": "1"})
    assert response.status_code == 403, endpoint.path


# --- search boxes --------------------------------------------------------------------------

SQLISH = ("' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE loans_loan; --", "%' OR '1'='1")
# Every search box of the project: (page, parameter).
SEARCH_BOXES = (
    ("loan-list", "q"),
    ("loan-export", "q"),
    ("borrower-list", "q"),
    ("signal-list", "loan_no"),
    ("api-loan-list", "product"),
)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "parameter"), SEARCH_BOXES)
def test_sql_like_search_strings_match_literally(
    client_for, branch, officer, branch_head, url_name, parameter
):
    borrower = BorrowerFactory(branch=branch, officer=officer, name="张三丰")
    LoanFactory(borrower=borrower)
    client = client_for(branch_head)
    for term in SQLISH:
        response = client.get(reverse(url_name), {parameter: term})
        assert response.status_code in (200, 400), (url_name, term)
        if response["Content-Type"].startswith("text/html"):
            assert "张三丰" not in response.content.decode(), (url_name, term)
    assert "张三丰" in client.get(reverse("loan-list"), {"q": "三丰"}).content.decode()


# --- open redirects ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_the_acknowledgement_button_never_redirects_off_site(client, people, target):
    kwargs = r.acknowledgement_pk(people)
    client.force_login(people.officer)
    response = client.post(reverse("compliance-acknowledgement-confirm", kwargs=kwargs), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance-acknowledgements")


def test_every_redirect_to_a_user_supplied_next_is_checked():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for views in root.glob("*/views.py"):
        text = views.read_text()
        if re.search(r"\.(GET|POST)\.get\(\s*[\"']next[\"']", text):
            assert "url_has_allowed_host_and_scheme" in text, views
