"""``{% loan_write_offs loan %}`` and ``{% case_write_offs borrower_id %}``: the write-offs on
the loan page (the ledger, below this app) and on the collection case page (an app of the
same layer, which cannot import this one). The tags only call the selectors."""

from django import template

from loans.domain import RiskClass
from loans.models import LoanStatus
from writeoffs import selectors
from writeoffs.models import WriteOffStatus
from writeoffs.services import write_off_may_propose

register = template.Library()


@register.inclusion_tag("writeoffs/_loan_write_offs.html", takes_context=True)
def loan_write_offs(context, loan):
    user = context["request"].user
    rows = selectors.loan_write_offs(user, loan_id=loan.pk)
    may_propose = (
        loan.status == LoanStatus.ACTIVE
        and loan.risk_class == RiskClass.LOSS
        and not any(row.status == WriteOffStatus.PROPOSED for row in rows)
        and write_off_may_propose(user, loan)
    )
    return {"loan": loan, "rows": rows, "may_propose": may_propose}


@register.inclusion_tag("writeoffs/_case_write_offs.html", takes_context=True)
def case_write_offs(context, borrower_id):
    return {"rows": selectors.borrower_write_offs(context["request"].user, borrower_id=borrower_id)}
