"""``{% borrower_guarantees borrower %}``: the borrower's guarantee circles on its page
(the borrower page belongs to the ledger, below this app; the tag only calls the selector)."""

from django import template

from guarantees.selectors import borrower_guarantee_view

register = template.Library()


@register.inclusion_tag("guarantees/_borrower_circles.html", takes_context=True)
def borrower_guarantees(context, borrower):
    request = context["request"]
    return {
        "request": request,
        "revealed": context.get("revealed"),
        **borrower_guarantee_view(request.user, borrower=borrower),
    }
