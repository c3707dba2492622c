"""Who may see what. Every list, detail, export, email and API view asks this module.

Three scopes:
- a loan officer sees their own portfolio (rows whose officer is them) in their branch;
- a branch head or a risk & compliance officer sees their whole branch, and, at a city
  branch (市分行), every branch below it;
- an administrator (or a Django superuser) sees every branch.

Rows outside the scope are simply absent from querysets, so a URL naming one answers 404.
"""

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Branch, Role, StaffProfile

# The named role sets. Every view, service, panel and menu entry uses these; no module
# spells out its own tuple of roles.
#
# Who oversees a whole branch: reads every officer's work there (and below, at a city branch).
OVERSIGHT_ROLES = frozenset({Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN})
WHOLE_BRANCH_ROLES = OVERSIGHT_ROLES
# Who decides: approves (maker-checker), imports the ledger, edits reference data and rules.
APPROVER_ROLES = frozenset({Role.BRANCH_HEAD, Role.ADMIN})
# Who works loans: records repayments, proposes classes, carries out required actions.
# A compliance officer reviews, but does not act on a borrower.
LOAN_WORK_ROLES = frozenset({Role.OFFICER, Role.BRANCH_HEAD, Role.ADMIN})
# Who does collection work on the phone or on site.
COLLECTION_ROLES = frozenset({Role.OFFICER, Role.BRANCH_HEAD})
# Who may be named first responsible person (第一责任人) for a required action.
RESPONSIBLE_ROLES = frozenset({Role.OFFICER, Role.BRANCH_HEAD})
# Who sees personal data (ID numbers, phones) unmasked beyond the responsible officer.
UNMASKED_ROLES = APPROVER_ROLES


def profile_of(user) -> StaffProfile | None:
    """The user's staff profile, fetched once per request and cached on the user (with
    ``branch_has_children``: whether the branch has branches below it, for ``role_label``)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_branch_ops_profile"):
        user._branch_ops_profile = (
            StaffProfile.objects.select_related("branch")
            .annotate(branch_has_children=Exists(Branch.objects.filter(parent_id=OuterRef("branch_id"))))
            .filter(user_id=user.pk)
            .first()
        )
    return user._branch_ops_profile


def role_of(user) -> Role | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = profile_of(user)
    return Role(profile.role) if profile else None


def has_role(user, *roles: Role) -> bool:
    return role_of(user) in roles


def sees_whole_branch(user) -> bool:
    return role_of(user) in WHOLE_BRANCH_ROLES


def descendant_branch_ids(root_id: int, edges: Iterable[tuple[int, int | None]]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for branch_id, parent_id in edges:
        children.setdefault(parent_id, []).append(branch_id)
    found, stack = set(), [root_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, ()))
    return found


def visible_branch_ids(user) -> frozenset[int]:
    """The branches whose data the user may see: their own and every branch below it."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not hasattr(user, "_branch_ops_branch_ids"):
        role = role_of(user)
        edges = Branch.objects.values_list("id", "parent_id")
        if role == Role.ADMIN:
            ids = {branch_id for branch_id, _ in edges}
        else:
            profile = profile_of(user)
            ids = descendant_branch_ids(profile.branch_id, edges) if profile else set()
        user._branch_ops_branch_ids = frozenset(ids)
    return user._branch_ops_branch_ids


def visible_branches(user) -> QuerySet[Branch]:
    return Branch.objects.filter(id__in=visible_branch_ids(user))


def scope_queryset(
    queryset: QuerySet,
    user,
    *,
    branch_field: str = "branch",
    officer_field: str | None = "officer",
) -> QuerySet:
    """Limit a queryset to what the user may see.

    ``branch_field`` is the path to the row's branch, ``officer_field`` the path to the
    responsible officer (a user). Rows without an officer field are branch-scoped only
    (pass ``officer_field=None``): use that only for data every officer of a branch shares.
    """
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role == Role.ADMIN:
        return queryset
    queryset = queryset.filter(**{f"{branch_field}__in": visible_branch_ids(user)})
    if officer_field and role not in WHOLE_BRANCH_ROLES:
        queryset = queryset.filter(**{officer_field: user})
    return queryset


def can_see_personal_data(user, *, officer_id: int | None) -> bool:
    """ID numbers and phones are shown in full only to the responsible officer and to the
    branch head (or an administrator); everyone else sees them masked."""
    if not getattr(user, "is_authenticated", False):
        return False
    return role_of(user) in UNMASKED_ROLES or (officer_id is not None and officer_id == user.pk)


def role_required(*roles: Role):
    """View decorator: 403 for a logged-in user without one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
