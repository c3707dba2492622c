"""The extension points, in one place: what an app may add to the home page and to the
dashboard (and so to the monthly report), and the registry that holds them.

An app contributes by having
- ``home.py`` with ``HOME_PANELS``: panels on the home page;
- ``dashboard_sections.py`` with ``DASHBOARD_SECTIONS``: dashboard sections and their
  monthly-report tables.

``core.apps.CoreConfig.ready`` builds the registry once at start-up
(``autodiscover_modules``), so no request walks the apps again. The menu is not discovered:
it is written out, in reading order, in ``accounts/navigation.py``.
"""

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class HomePanel:
    """A panel on the home page, rendered from ``template`` with the dict ``context(request)``
    returns (None hides it), for the roles given (None: every logged-in user)."""

    template: str
    context: Callable  # (request) -> dict | None
    roles: frozenset | None = None  # of accounts.models.Role; None: everyone logged in
    order: int = 100


@dataclass(frozen=True)
class DashboardScope:
    """What the dashboard shows: the user asking, the branches in view, and either the
    whole of those branches (officer_id None) or one officer's own portfolio."""

    user: object
    branch_ids: frozenset[int]
    officer_id: int | None
    as_of: dt.date


@dataclass(frozen=True)
class ReportTable:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass(frozen=True)
class DashboardSection:
    """A section of the dashboard: ``template`` rendered with
    ``{"section": context(scope)}`` (None hides it), and the tables it adds to the monthly
    workbook. Both functions must run a constant number of queries."""

    title: str
    template: str
    context: Callable[[DashboardScope], dict | None]
    report_tables: Callable[[DashboardScope], list[ReportTable]] | None = None
    order: int = 100


@dataclass
class Registry:
    home_panels: list[HomePanel] = field(default_factory=list)
    dashboard_sections: list[DashboardSection] = field(default_factory=list)


registry = Registry()

# module name in each app -> (attribute it defines, registry list it fills)
_CONTRIBUTIONS = {
    "home": ("HOME_PANELS", "home_panels"),
    "dashboard_sections": ("DASHBOARD_SECTIONS", "dashboard_sections"),
}


def discover() -> None:
    """Import every app's contribution modules and collect what they offer, in order.
    Called once, from ``CoreConfig.ready``."""
    autodiscover_modules(*_CONTRIBUTIONS)
    for module_name, (attribute, target) in _CONTRIBUTIONS.items():
        found = []
        for config in apps.get_app_configs():
            module = sys.modules.get(f"{config.name}.{module_name}")
            found.extend(getattr(module, attribute, []))
        setattr(registry, target, sorted(found, key=lambda item: item.order))


def home_panels_for(role) -> list[HomePanel]:
    return [panel for panel in registry.home_panels if panel.roles is None or role in panel.roles]


def dashboard_sections_for(scope: DashboardScope) -> list[dict]:
    """Each section with the context it gives for this scope (None hides it)."""
    shown = []
    for section in registry.dashboard_sections:
        context = section.context(scope)
        if context is not None:
            shown.append({"title": section.title, "template": section.template, "context": context})
    return shown


def report_tables_for(scope: DashboardScope) -> list[ReportTable]:
    tables = []
    for section in registry.dashboard_sections:
        if section.report_tables is not None:
            tables.extend(section.report_tables(scope))
    return tables
