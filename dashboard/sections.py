"""Discovery of the dashboard sections every app offers (``APP/dashboard.py`` with
``DASHBOARD_SECTIONS``, see branch_ops.sections), like accounts.context_processors finds
``nav.py``."""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from branch_ops.sections import DashboardScope, DashboardSection, ReportTable


def all_sections() -> list[DashboardSection]:
    sections = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "dashboard"):
            sections.extend(getattr(import_module(f"{config.name}.dashboard"), "DASHBOARD_SECTIONS", []))
    return sorted(sections, key=lambda section: section.order)


def sections_for(scope: DashboardScope) -> list[dict]:
    """Each section with the context it gives for this scope (None hides it)."""
    shown = []
    for section in all_sections():
        context = section.context(scope)
        if context is not None:
            shown.append({"title": section.title, "template": section.template, "context": context})
    return shown


def report_tables_for(scope: DashboardScope) -> list[ReportTable]:
    tables = []
    for section in all_sections():
        if section.report_tables is not None:
            tables.extend(section.report_tables(scope))
    return tables
