"""``{% personal owner "id_number" %}``: the one way a template shows an ID number or phone.

It calls ``loans.services.personal_data_show``: masked unless the view rendered the page as
the answer to a deliberate reveal (``revealed`` in the context), in which case the full value
is logged before it is shown. ``owner`` is a Borrower or a Guarantor (then pass
``borrower=``); pass ``loan=`` on a loan's page so its responsible officer decides."""

from django import template

from loans.models import RevealChannel
from loans.services import personal_data_show

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, owner, field, borrower=None, loan=None):
    borrower = borrower or owner
    officer_id = loan.officer_id if loan is not None else borrower.officer_id
    return personal_data_show(
        user=context["request"].user,
        value=getattr(owner, field),
        field=field,
        where=RevealChannel.PAGE,
        borrower_id=borrower.pk,
        officer_id=officer_id,
        loan_id=loan.pk if loan is not None else None,
        about="" if owner is borrower else f"{owner._meta.verbose_name} {owner}",
        reveal=bool(context.get("revealed")),
    )
