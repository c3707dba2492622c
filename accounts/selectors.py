from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_queryset
from accounts.models import Branch, Role, StaffProfile


def staff_visible_to(user) -> QuerySet[StaffProfile]:
    """Staff of the branches the user may see (an officer sees only themself)."""
    return scope_queryset(
        StaffProfile.objects.select_related("user", "branch"),
        user,
        branch_field="branch",
        officer_field="user",
    ).order_by("branch__code", "role", "employee_no")


def parent_branch_ids() -> frozenset[int]:
    """The branches that have branches below them: city branches (市分行)."""
    return frozenset(Branch.objects.filter(parent__isnull=False).values_list("parent_id", flat=True))


def role_label(profile: StaffProfile | None, *, parents: frozenset[int] | None = None) -> str:
    """The title a member of staff goes by. The head of a branch with branches below it
    heads a city branch (市分行负责人), not a sub-branch (支行负责人). ``parents`` (from
    ``parent_branch_ids``) saves the query when labelling a list."""
    if profile is None:
        return ""
    if profile.role == Role.BRANCH_HEAD:
        if parents is not None:
            is_parent = profile.branch_id in parents
        elif hasattr(profile, "branch_has_children"):  # annotated by accounts.access.profile_of
            is_parent = profile.branch_has_children
        else:
            is_parent = Branch.objects.filter(parent_id=profile.branch_id).exists()
        if is_parent:
            return str(_("City branch head"))
    return str(profile.get_role_display())
