from django.db.models import QuerySet

from accounts.access import scope_queryset
from accounts.models import StaffProfile


def staff_visible_to(user) -> QuerySet[StaffProfile]:
    """Staff of the branches the user may see (an officer sees only themself)."""
    return scope_queryset(
        StaffProfile.objects.select_related("user", "branch"),
        user,
        branch_field="branch",
        officer_field="user",
    ).order_by("branch__code", "role", "employee_no")
