import pytest
from django.urls import reverse

from core.testing import iter_endpoints

# Pages anyone may open without logging in; everything else needs login.
PUBLIC_URL_NAMES = {"healthz", "login", "set_language", "javascript-catalog"}


def test_resolver_walk_finds_the_projects_pages():
    names = {endpoint.name for endpoint in iter_endpoints()}
    assert {"home", "login", "logout", "staff-list", "healthz"} <= names
    assert len(names) > 20  # admin pages are walked too


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", iter_endpoints(), ids=lambda endpoint: endpoint.path)
def test_every_page_sends_an_anonymous_visitor_to_login(client, endpoint):
    if endpoint.name in PUBLIC_URL_NAMES:
        pytest.skip("public by design")
    if endpoint.path.startswith("/admin/") and endpoint.name in {"login", "logout"}:
        pytest.skip("the admin's own login page is public")
    response = client.get(endpoint.path)
    if endpoint.path.startswith("/api/"):
        assert response.status_code == 401
    else:
        # The admin's index sends visitors to its own login page (which checks is_staff too).
        login_urls = (reverse("login") + "?next=", "/admin/login/?next=")
        assert response.status_code == 302, endpoint.path
        assert response["Location"].startswith(login_urls), endpoint.path


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_turns_the_login_page_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    response = client.get(reverse("login"))
    assert "Log in to post-loan management" in response.content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "登录" in response.content.decode()
