"""Formatting only: amounts with thousands separators, as bank reports print them
(Django's intcomma follows the locale, and Chinese formats define no separator)."""

from decimal import Decimal

from django import template

from dashboard.reports import cell_text

register = template.Library()


@register.filter
def money(value):
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def report_figure(value):
    """A monthly report figure as the PDF prints it: 2,192.10; 1.23%; 1,203; —."""
    return cell_text(value)
