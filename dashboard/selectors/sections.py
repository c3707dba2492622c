"""Every app's dashboard section (core.registry), kept in the cache for a minute.

The sections count live things across the scope (screening's loans without a face-signing
record, open signals, required actions, collection cases, compliance): at a province's
1,000,000 loans the face-signing count alone scans every loan and borrower (seconds, see
bench/RESULTS.md). The page shows them as they were at most DASHBOARD_SECTIONS_TTL seconds
ago (the page says so); today's portfolio figures beside them are never older than the
ledger (dashboard.selectors.ledger). The key is what the sections depend on: the role (which
rows the user sees), the scope (branches, officer, date) and the language; and the ledger's
global version, which an import of every loan (or a test's start) moves on."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from accounts.access import role_of
from core.registry import DashboardScope, dashboard_sections_for
from dashboard.selectors.ledger import ledger_version
from dashboard.selectors.scope import today


def sections_cached(scope: DashboardScope) -> list[dict]:
    ttl = settings.DASHBOARD_SECTIONS_TTL
    if not ttl:
        return dashboard_sections_for(scope)
    branches = ",".join(str(i) for i in sorted(scope.branch_ids))
    digest = hashlib.sha256(branches.encode()).hexdigest()[:24]
    key = (
        f"dashboard:sections:{ledger_version()}:{today()}:{scope.as_of}:{role_of(scope.user)}:{digest}:"
        f"{scope.officer_id or 0}:{get_language()}"
    )
    sections = cache.get(key)
    if sections is None:
        sections = dashboard_sections_for(scope)
        cache.set(key, sections, ttl)
    return sections
