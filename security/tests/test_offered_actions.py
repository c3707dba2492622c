"""Nobody is offered what they may not do: every link and form on every page a persona
opens leads somewhere that persona is allowed (no 403). A button shown to someone the view
or the service will refuse is the bug this walk catches (a compliance officer offered
登记催收 and refused only on saving)."""

import re

from django.urls import Resolver404, resolve, reverse

from core.testing import iter_endpoints
from security.tests.registry import REGISTRY

PERSONAS = ("compliance_officer", "officer", "branch_head")
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/")
NOT_FOLLOWED = {"logout", "set_language"}  # they end the walk's session or language
_LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
_FORM = re.compile(r"<form\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'\b(method|action)="([^"]*)"', re.IGNORECASE)


def _offers(page: str) -> list[tuple[str, str]]:
    """(method, url) of every link and every form with an action on the page."""
    found = [("get", url.replace("&amp;", "&")) for url in _LINK.findall(page)]
    for attributes in _FORM.findall(page):
        attrs = {key.lower(): value for key, value in _ATTR.findall(attributes)}
        if attrs.get("action", "").startswith("/"):
            found.append((attrs.get("method", "get").lower(), attrs["action"].replace("&amp;", "&")))
    return found


def _url_name(url: str) -> str | None:
    try:
        return resolve(url.split("?")[0]).url_name
    except Resolver404:
        return None


def _start_pages(people) -> list[str]:
    pages = []
    for endpoint in iter_endpoints():
        if endpoint.path.startswith(SKIPPED_PREFIXES) or endpoint.name in NOT_FOLLOWED:
            continue
        if endpoint.name in REGISTRY:
            spec = REGISTRY[endpoint.name]
            if spec.method == "get":
                pages.append(reverse(endpoint.name, kwargs=spec.build(people)))
        elif not resolve(endpoint.path).captured_kwargs:
            pages.append(endpoint.path)
    return pages


def test_no_page_offers_a_persona_a_link_or_form_that_answers_403(client, people):
    start = _start_pages(people)
    refused = []
    for persona in PERSONAS:
        client.force_login(getattr(people, persona))
        checked: set[tuple[str, str | None]] = set()
        for page_url in start:
            response = client.get(page_url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            if getattr(response, "streaming", False):
                continue
            for method, target in _offers(response.content.decode()):
                name = _url_name(target)
                # One visit per kind of target and method keeps the walk short.
                if name is None or name in NOT_FOLLOWED or target.startswith(SKIPPED_PREFIXES):
                    continue
                if (method, name) in checked:
                    continue
                checked.add((method, name))
                answer = client.post(target) if method == "post" else client.get(target)
                if answer.status_code == 403:
                    refused.append(f"{persona}: {page_url} offers {method.upper()} {target} → 403")
    assert not refused, "\n".join(refused)
