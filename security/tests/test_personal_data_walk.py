"""The one rule for personal data (docs/personal-data.md), proven by walking every page.

Every URL of the project (those without arguments from the URL resolver, those with
arguments from the access registry, each also asked with ``?reveal=1``), every reveal action,
every Django admin change page and the reminder emails are rendered as each persona, with
data holding known full ID numbers and phones. A full value may appear only in the answer to
a deliberate reveal by the responsible officer, the branch head or an administrator, and only
if a privacy-log row (who, whose, which field, where) was written for it in that request. So a
new page, export or API field that prints ``borrower.id_number`` fails here.
"""

import datetime as dt
import io
import json

import pytest
from django.contrib import admin
from django.urls import resolve, reverse
from openpyxl import load_workbook

from core.testing import iter_endpoints
from loan_collections.factories import CollectionCaseFactory, overdue_loan
from loan_collections.reminders import reminders_send
from loans.factories import BorrowerFactory, GuarantorFactory, ScheduleLineFactory
from loans.models import Borrower, Guarantor, PersonalDataReveal
from notifications.models import OutgoingEmail
from post_loan.factories import RequiredActionFactory
from security.tests.registry import REGISTRY

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
GUARANTOR_PHONE = "13787654321"
# Who may reveal the officer's borrowers (the access suite's personas, plus pytest-django's
# ``admin_user``, a superuser: the administrator).
MAY_REVEAL = {"officer", "branch_head", "admin"}
PERSONAS = ["officer", "other_officer", "branch_head", "compliance_officer", "admin"]
SKIPPED = {"logout", "login", "healthz"}


@pytest.fixture
def demo(branch, officer):
    """Demo-like data: a borrower with a known ID and phone, overdue, with a guarantor, a
    collection case, an instalment due and a required action."""
    borrower = BorrowerFactory(branch=branch, officer=officer, phone=PHONE, name="易受保护")
    loan = overdue_loan(borrower=borrower, days=40)
    GuarantorFactory(loan=loan, phone=GUARANTOR_PHONE, name="保证人乙")
    ScheduleLineFactory(loan=loan, due_on=dt.date(2026, 11, 25))
    CollectionCaseFactory(borrower=borrower)
    RequiredActionFactory(loan=loan)
    return borrower


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _full_values() -> list[tuple[int, str, str]]:
    """(borrower id, field, full value) of every ID number and phone in the database."""
    values = []
    for borrower in Borrower.objects.all():
        values += [(borrower.pk, "id_number", borrower.id_number), (borrower.pk, "phone", borrower.phone)]
    for guarantor in Guarantor.objects.select_related("loan"):
        borrower_id = guarantor.loan.borrower_id
        values += [(borrower_id, "id_number", guarantor.id_number), (borrower_id, "phone", guarantor.phone)]
    return [value for value in values if value[2]]


def _requests(people):
    """(method, url, asks to reveal) for every page, export, API view and reveal action."""
    found = []
    for endpoint in iter_endpoints():
        # URLs with arguments: the registry builds their objects (admin: _admin_change_pages).
        if endpoint.name in SKIPPED or resolve(endpoint.path).captured_kwargs:
            continue
        found += [("get", endpoint.path, False), ("get", endpoint.path + "?reveal=1", True)]
    for name, spec in sorted(REGISTRY.items()):
        if spec.method == "get":
            url = reverse(name, kwargs=spec.build(people))
            found += [("get", url, False), ("get", url + "?reveal=1", True)]
        elif name.endswith("-reveal"):
            found.append(("post", reverse(name, kwargs=spec.build(people)), True))
    return found


def _admin_change_pages():
    urls = []
    for model in admin.site._registry:
        for pk in model.objects.order_by("-pk").values_list("pk", flat=True)[:2]:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk]))
    return urls


def _check(client, user, persona, method, url, reveal, values):
    before = PersonalDataReveal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(url) if method == "post" else client.get(url)
    if response.status_code != 200:
        return False
    text = _text(response)
    shown = [(borrower_id, field) for borrower_id, field, value in values if value in text]
    logged = set(
        PersonalDataReveal.objects.filter(pk__gt=before, user=user).values_list("borrower_id", "field")
    )
    if shown:
        assert persona in MAY_REVEAL, (persona, url, shown)
        assert reveal, ("a full value without a deliberate reveal", persona, url, shown)
        missing = [item for item in shown if item not in logged]
        assert not missing, ("shown in full without a privacy-log row", persona, url, missing)
    return bool(shown)


@pytest.mark.parametrize("persona", PERSONAS)
def test_full_id_numbers_and_phones_appear_only_on_a_logged_reveal_by_an_allowed_role(
    client, people, demo, admin_user, persona
):
    user = admin_user if persona == "admin" else getattr(people, persona)
    client.force_login(user)
    revealed_somewhere = False
    requests = _requests(people)
    values = _full_values()  # every object the walk shows exists by now
    for method, url, reveal in requests:
        revealed_somewhere |= _check(client, user, persona, method, url, reveal, values)
    if persona == "admin":
        for url in _admin_change_pages():
            assert not _check(client, user, persona, "get", url, False, values), url
    # The walk is meaningful: those who may reveal do see full values somewhere.
    assert revealed_somewhere == (persona in MAY_REVEAL)


def test_the_reveal_actions_and_exports_are_found_by_the_walk(people, demo):
    urls = {url for method, url, reveal in _requests(people) if reveal}
    assert any("/reveal/" in url for url in urls)
    assert reverse("loan-export") + "?reveal=1" in urls and reverse("api-loan-list") + "?reveal=1" in urls


def test_emails_carry_no_full_id_number_or_phone(officer, branch_head, demo):
    officer.email, branch_head.email = "o@bank.local", "h@bank.local"
    officer.save()
    branch_head.save()
    reminders_send(day=dt.date(2026, 11, 20))
    emails = list(OutgoingEmail.objects.all())
    assert emails
    for email in emails:
        for body in (email.subject, email.body_text, email.body_html):
            assert not [value for _b, _f, value in _full_values() if value in body]
    assert not PersonalDataReveal.objects.exists()
