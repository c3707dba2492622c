from django.urls import reverse


def test_pages_carry_the_security_headers(client, db):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy


def test_login_form_requires_csrf(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_base_template_loads_only_local_assets(client, db):
    content = client.get(reverse("login")).content.decode()
    assert "cdn" not in content.lower() and "https://" not in content
