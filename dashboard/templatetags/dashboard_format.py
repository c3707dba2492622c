"""The monthly report's own filter: a figure written as the PDF and workbook write it."""

from django import template

from dashboard.reports import cell_text

register = template.Library()


@register.filter
def report_figure(value):
    """A monthly report figure as the PDF prints it: 2,192.10; 1.23%; 1,203; —."""
    return cell_text(value)
