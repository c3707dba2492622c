"""Navigation entries. Each app may have a nav.py with NAV_ITEMS; the base template shows
the entries whose roles include the user's role (None means every logged-in user)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None = None
    order: int = 100


NAV_ITEMS = [
    NavItem(_("Home"), "home", None, 0),
    NavItem(_("Staff"), "staff-list", frozenset({Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN}), 900),
]
