"""Security headers on pages, API responses and error pages; production TLS headers; uploaded
files never served from MEDIA_URL."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve, reverse

ROOT = Path(__file__).resolve().parents[2]


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # Only our own files: no inline script, no eval, no other host, no wildcard.
    for forbidden in ("unsafe-inline", "unsafe-eval", "http:", "https:", "*", "//"):
        assert forbidden not in policy, forbidden


@pytest.mark.django_db
def test_pages_api_and_error_pages_carry_the_security_headers(client, officer):
    anonymous = [
        client.get(reverse("login")),
        client.get(reverse("api-loan-list")),  # 401
        client.get("/api/v1/no-such-endpoint/"),  # 404 outside the login wall
    ]
    client.force_login(officer)
    logged_in = [
        client.get(reverse("home")),
        client.get(reverse("loan-list")),
        client.get(reverse("api-loan-list")),
        client.get(reverse("staff-list")),  # 403
        client.get("/loans/borrowers/999999/"),  # 404
    ]
    statuses = [response.status_code for response in anonymous + logged_in]
    assert statuses == [200, 401, 404, 200, 200, 200, 403, 404]
    for response in anonymous + logged_in:
        assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.urls("security.tests.boom_urls")
def test_the_500_page_carries_the_security_headers(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert_security_headers(response)


def test_templates_have_no_inline_script_or_style():
    # The CSP would block them: JS and CSS live in static files.
    for template in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, (template, tag)
        assert not re.search(r"\sstyle\s*=", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template  # onclick= and friends


def test_templates_never_link_an_upload_directly():
    """Uploaded files go through access-checked download views, never ``{{ x.file.url }}``."""
    names = {
        field_.name
        for model in apps.get_models()
        for field_ in model._meta.get_fields()
        if isinstance(field_, models.FileField)
    }
    pattern = re.compile(r"\.(" + "|".join(sorted(names)) + r")\.url\b")
    for template in ROOT.glob("*/templates/**/*"):
        if template.is_file() and ".venv" not in template.parts:
            assert not pattern.search(template.read_text()), template


def test_media_files_are_not_routed_outside_debug():
    assert not settings.DEBUG
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "regulations/2026/rules.pdf")


@pytest.mark.django_db
def test_an_uploaded_file_is_never_served_to_a_visitor(client):
    response = client.get(settings.MEDIA_URL + "regulations/2026/rules.pdf")
    assert response.status_code in (302, 404)
    assert not response.get("Content-Disposition")


PRODUCTION_PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve
# The manifest storage needs collectstatic; only the headers are probed here.
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}).enable()
client = Client(HTTP_HOST="loans.branch.example")
out = {}
for path in ("/accounts/login/", "/api/v1/loans/", "/no-such-page/"):
    response = client.get(path, HTTP_X_FORWARDED_PROTO="https")
    out[path] = {"status": response.status_code, "headers": dict(response.headers)}
plain = client.get("/accounts/login/")
out["plain"] = {"status": plain.status_code, "location": plain.get("Location", "")}
try:
    resolve(settings.MEDIA_URL + "x.pdf")
    out["media_routed"] = True
except Resolver404:
    out["media_routed"] = False
out["cookies"] = [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY]
print(json.dumps(out))
"""


def test_production_settings_send_hsts_over_tls_and_redirect_plain_http():
    keep = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "branch_ops.settings.production",
        "SECRET_KEY": "a-long-random-production-key-" + "k" * 40 + "-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "loans.branch.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert [out[path]["status"] for path in ("/accounts/login/", "/api/v1/loans/", "/no-such-page/")] == [
        200,
        401,
        404,  # the error page
    ]
    for path in ("/accounts/login/", "/api/v1/loans/", "/no-such-page/"):
        headers = out[path]["headers"]
        hsts = headers["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert out["plain"]["status"] == 301 and out["plain"]["location"].startswith("https://")
    assert out["media_routed"] is False
    assert out["cookies"] == [True, True, True]
