"""Helpers for tests: every URL of the project, and writers run at the same time."""

import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
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


def wait_for_a_blocked_writer(timeout: float = 10) -> bool:
    """Wait until another connection to this database waits for a lock (a row lock or an
    advisory lock); False if none did within ``timeout`` seconds. Lets a test hold its
    transaction open until a concurrent writer has run into it, then commit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def run_together(*jobs: Callable[[], object], timeout: float = 120) -> list[object]:
    """Run each job in its own thread, released at the same instant by a barrier, each on
    its own database connection (opened before the barrier, closed at the end). Returns the
    jobs' results in order; re-raises the first exception any thread raised. For tests
    marked ``django_db(transaction=True)``: the threads must see each other's commits."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout)
            results[index] = job()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError("a job run together did not finish")
    if errors:
        raise errors[0]
    return results
