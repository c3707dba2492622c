"""The template filters every page uses for figures: ``{% load branch_ops_format %}``.

Each filter is a thin wrapper over core.formatting, which the exports and emails call too.
"""

from django import template

from core import formatting

register = template.Library()


@register.filter
def yuan(value, symbol=""):
    """``{{ loan.balance|yuan }}`` → ``57,264.06``; ``{{ x|yuan:"¥" }}`` → ``¥57,264.06``."""
    return formatting.format_yuan(value, symbol=bool(symbol))


@register.filter
def wan(value):
    """An amount in yuan written in 万元: ``{{ total|wan }}`` → ``21,921.00``."""
    return formatting.format_wan(value)


@register.filter
def amount(value):
    """A figure already in its unit (e.g. the dashboard's 万元 columns): separators, two places."""
    return formatting.format_amount(value)


@register.filter
def risk_class_label(value):
    """``{{ 2|risk_class_label }}`` → ``关注``."""
    return formatting.risk_class_label(value)


@register.filter
def ui_date(value):
    """``YYYY-MM-DD``."""
    return formatting.format_date(value)


@register.filter
def ui_datetime(value):
    """``YYYY-MM-DD HH:MM`` in local time."""
    return formatting.format_datetime(value)


@register.filter
def history_value(value, field=None):
    """One side of a recorded change, by the changed field's type: ``{{ before|history_value:field }}``."""
    return formatting.history_value(value, field)
