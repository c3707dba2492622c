"""Access control, generated from the URL resolver: every URL is covered automatically."""

import pytest
from django.urls import reverse

from accounts.models import Role
from core.testing import endpoints_with_arguments, iter_endpoints
from security.tests.registry import REGISTRY

ENDPOINTS = iter_endpoints()


def _request(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


def test_every_url_that_names_an_object_has_a_scoping_case():
    needing = {
        endpoint.name for endpoint in endpoints_with_arguments() if not endpoint.path.startswith("/admin/")
    }
    missing = sorted(needing - set(REGISTRY))
    assert not missing, f"add these URL names to security/tests/registry.py: {missing}"
    stale = sorted(set(REGISTRY) - needing)
    assert not stale, f"no longer URLs with arguments: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_an_object_answers_its_owner_and_404_or_403_to_everyone_else(client, people, name):
    spec = REGISTRY[name]
    url = reverse(name, kwargs=spec.build(people))
    client.force_login(getattr(people, spec.owner))
    response = _request(client, spec.method, url)
    assert response.status_code in spec.ok, (spec.owner, url, response.status_code)
    for persona, expected in spec.expect.items():
        client.force_login(getattr(people, persona))
        status = _request(client, spec.method, url).status_code
        allowed = expected if isinstance(expected, tuple) else (expected,)
        assert status in allowed, (persona, url, status)


def _role_only(endpoint) -> bool:
    roles = getattr(endpoint.callback, "allowed_roles", None)
    return roles is not None and Role.OFFICER not in roles


ROLE_ONLY = [endpoint for endpoint in ENDPOINTS if _role_only(endpoint)]


def test_role_only_pages_are_found_from_the_decorator():
    names = {endpoint.name for endpoint in ROLE_ONLY}
    assert {"staff-list", "import-list", "classification-pending", "dashboard-snapshots"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ROLE_ONLY, ids=lambda endpoint: endpoint.name)
def test_a_loan_officer_gets_403_on_every_role_only_page(client, officer, endpoint):
    client.force_login(officer)
    response = client.get(endpoint.path)
    if response.status_code == 405:  # POST-only: the role is checked on the POST
        response = client.post(endpoint.path)
    assert response.status_code == 403, endpoint.path


def test_the_registry_agrees_with_the_role_decorators():
    for endpoint in ROLE_ONLY:
        if endpoint.name in REGISTRY:
            assert REGISTRY[endpoint.name].expect.get("officer") == 403, endpoint.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.path.startswith("/api/")], ids=lambda endpoint: endpoint.path
)
def test_every_api_endpoint_answers_401_to_anonymous_reads_and_writes(client, endpoint):
    assert client.get(endpoint.path).status_code == 401
    assert client.post(endpoint.path, {}, content_type="application/json").status_code in (401, 405)


@pytest.mark.django_db
def test_an_invalid_token_gets_401(client):
    response = client.get(reverse("api-loan-list"), headers={"authorization": "Token not-a-token"})
    assert response.status_code == 401


@pytest.mark.django_db
def test_admin_pages_send_staff_without_admin_rights_to_the_admin_login(client, branch_head):
    client.force_login(branch_head)
    for endpoint in ENDPOINTS:
        if endpoint.path.startswith("/admin/") and endpoint.name not in {"login", "logout"}:
            response = client.get(endpoint.path)
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), (
                endpoint.path
            )
