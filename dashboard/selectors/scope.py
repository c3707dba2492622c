"""The scope of a dashboard request: the date asked for, and which branches and whose
loans the user may see."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import WHOLE_BRANCH_ROLES, profile_of, role_of, visible_branch_ids
from accounts.models import Branch
from core.registry import DashboardScope


def today() -> dt.date:
    return timezone.localdate()


def as_of_parse(value: str | None) -> dt.date:
    """The date asked for (today when empty); a clear ValidationError otherwise."""
    if value in (None, ""):
        return today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-10-31."), params={"value": value}
        ) from None
    if day > today():
        raise ValidationError(
            _("The date %(day)s is in the future: figures exist up to today."), params={"day": day}
        )
    return day


def dashboard_scope(user, *, as_of: dt.date, branch_code: str | None = None) -> DashboardScope:
    """What the user may see: an officer their own portfolio in their branch; a branch head,
    compliance officer or administrator every visible branch, or the one named (404 when it
    is not theirs to see)."""
    role = role_of(user)
    visible = visible_branch_ids(user)
    if role is None or not visible:
        raise Http404(_("You have no branch to look at."))
    if role in WHOLE_BRANCH_ROLES:
        officer_id = None
        branch_ids = visible
    else:
        officer_id = user.pk
        branch_ids = frozenset({profile_of(user).branch_id})
    if branch_code:
        branch = Branch.objects.filter(code=branch_code, id__in=branch_ids).only("id").first()
        if branch is None:
            raise Http404(_("No branch with that code is yours to see."))
        branch_ids = frozenset({branch.pk})
    return DashboardScope(user=user, branch_ids=frozenset(branch_ids), officer_id=officer_id, as_of=as_of)


def scoped(queryset, scope: DashboardScope):
    """Rows of the scope's branches (and of its officer, for an officer's own dashboard)."""
    queryset = queryset.filter(branch_id__in=scope.branch_ids)
    if scope.officer_id is not None:
        queryset = queryset.filter(officer_id=scope.officer_id)
    return queryset
