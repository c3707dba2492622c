"""Render every page of the project, in Chinese, as the people who use it, with data present.

``rendered_pages(people)`` walks the URL resolver (core.testing): pages without arguments are
opened by the branch head, a loan officer and the compliance officer; pages about one object
are opened by its owner, with the object built by security/tests/registry.py. It yields each
HTML page that answered 200, so a rule about what pages print (words, figures) is checked on
every page, including the pages added after the rule.
"""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import resolve, reverse

from core.testing import iter_endpoints
from security.tests.registry import REGISTRY

PERSONAS = ("branch_head", "officer", "compliance_officer")
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/")


@dataclass(frozen=True)
class Page:
    persona: str
    path: str
    html: str

    @property
    def text(self) -> str:
        """What a reader sees: the markup, scripts and styles removed, entities decoded."""
        body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", self.html)
        body = re.sub(r"(?s)<!--.*?-->", " ", body)
        return html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))


def _html(response) -> str | None:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    if getattr(response, "streaming", False):
        return None
    return response.content.decode()


def rendered_pages(client, people) -> Iterator[Page]:
    client.cookies.pop("django_language", None)
    for endpoint in iter_endpoints():
        if endpoint.path.startswith(SKIPPED_PREFIXES):
            continue
        if endpoint.name in REGISTRY:
            spec = REGISTRY[endpoint.name]
            if spec.method != "get":
                continue
            url = reverse(endpoint.name, kwargs=spec.build(people))
            visits = [(spec.owner, url)]
        elif resolve(endpoint.path).captured_kwargs:
            continue  # test_access makes sure every such page is in the registry
        else:
            visits = [(persona, endpoint.path) for persona in PERSONAS]
        for persona, url in visits:
            client.force_login(getattr(people, persona))
            page = _html(client.get(url, headers={"accept-language": "zh-hans"}))
            if page is not None:
                yield Page(persona, url, page)
