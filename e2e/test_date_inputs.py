"""A hole the browser journeys found: Django renders a date in the active language's first
input format (2026/12/09 in Chinese), which an <input type="date"> cannot show, so every date
field with a default (completed on, paid on...) came up empty in the Chinese UI."""

import importlib

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

pytestmark = pytest.mark.django_db


def _date_fields():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in {
            "accounts",
            "loans",
            "ledger_import",
            "loan_collections",
            "compliance",
            "post_loan",
            "screening",
            "dashboard",
        }:
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                for name, field in value.base_fields.items():
                    if getattr(field.widget, "input_type", "") == "date":
                        yield f"{value.__name__}.{name}", field


def test_every_date_input_renders_its_value_in_iso_format_in_chinese():
    import datetime as dt

    fields = list(_date_fields())
    assert len(fields) >= 10
    with translation.override("zh-hans"):
        for label, field in fields:
            html = field.widget.render("d", dt.date(2026, 12, 9))
            assert 'value="2026-12-09"' in html, f"{label} renders {html}"
