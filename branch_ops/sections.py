"""Contract between the dashboard and the apps that feed it.

Each app may have a ``dashboard.py`` with ``DASHBOARD_SECTIONS``: the dashboard (and the
monthly report) collects them in ``order`` and, for a given scope, renders each section's
template with ``{"section": section.context(scope)}`` and adds its report tables to the
monthly workbook. A section's functions must run a constant number of queries.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


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
    title: str
    template: str
    context: Callable[[DashboardScope], dict | None]
    report_tables: Callable[[DashboardScope], list[ReportTable]] | None = None
    order: int = 100
