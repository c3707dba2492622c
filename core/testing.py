"""Helpers for tests that must cover every URL of the project automatically."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

# A digit string fits str, slug, path and int converters alike (loan numbers are strings).
_SAMPLES = {"uuid": str(uuid.UUID(int=1))}


@dataclass(frozen=True)
class Endpoint:
    path: str
    name: str | None
    callback: object


def _route_sample(route: str) -> str:
    def sample(match: re.Match) -> str:
        return _SAMPLES.get(match.group(1) or "str", "1")

    return re.sub(r"<(?:(\w+):)?\w+>", sample, route)


def _regex_sample(regex: str) -> str:
    text = regex.lstrip("^").rstrip("$").replace(r"\Z", "")

    def group(match: re.Match) -> str:
        body = match.group(2)
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]
        return "1"

    text = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", group, text)
    return text.replace("\\", "")


def iter_endpoints() -> list[Endpoint]:
    """Every URL pattern of the project with sample arguments, as a requestable path."""
    found: list[Endpoint] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            pattern = entry.pattern
            if isinstance(pattern, RoutePattern):
                piece = _route_sample(str(pattern._route))
            elif isinstance(pattern, RegexPattern):
                piece = _regex_sample(pattern._regex)
            else:  # pragma: no cover - LocalePrefixPattern is not used
                piece = ""
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + piece)
            elif isinstance(entry, URLPattern):
                path = "/" + prefix + piece
                try:
                    match = resolve(path)
                except Resolver404:
                    continue
                found.append(Endpoint(path=path, name=match.url_name, callback=match.func))

    walk(get_resolver().url_patterns, "")
    return found


def endpoints_with_arguments() -> list[Endpoint]:
    """The URL patterns that take an argument (an object's key): each needs a scoping test."""
    return [endpoint for endpoint in iter_endpoints() if resolve(endpoint.path).captured_kwargs]
