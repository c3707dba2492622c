"""Formatting only: amounts with thousands separators, as bank reports print them
(Django's intcomma follows the locale, and Chinese formats define no separator)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value):
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"
