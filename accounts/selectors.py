from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.access import scope_queryset
from accounts.models import Role, StaffProfile


def staff_visible_to(user) -> QuerySet[StaffProfile]:
    """Staff of the branches the user may see (an officer sees only themself)."""
    return scope_queryset(
        StaffProfile.objects.select_related("user", "branch"),
        user,
        branch_field="branch",
        officer_field="user",
    ).order_by("branch__code", "role", "employee_no")


def officers_of_branch(*, branch_ids) -> QuerySet:
    """Active loan officers (users) of the given branches, for assignment drop-downs."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__branch_id__in=branch_ids, profile__role=Role.OFFICER)
        .select_related("profile")
        .order_by("profile__employee_no")
    )
