from django.db.models import QuerySet

from accounts.access import scope_queryset
from loans.models import Borrower, Loan


def loans_visible_to(user) -> QuerySet[Loan]:
    """The one scoping of loans: every list, detail, export, email and API view uses it."""
    return scope_queryset(Loan.objects.all(), user, branch_field="branch", officer_field="officer")


def borrowers_visible_to(user) -> QuerySet[Borrower]:
    return scope_queryset(Borrower.objects.all(), user, branch_field="branch", officer_field="officer")
