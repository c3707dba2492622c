"""Navigation entries. Each app may have a nav.py with NAV_ITEMS; the base template shows
the entries whose roles include the user's role (None means every logged-in user)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role


class NavGroup:
    """Menus that gather several apps' entries, so the bar stays one line."""

    LEDGER = _("Ledger")
    ACTIONS = _("Post-loan actions")
    COLLECTIONS = _("Collections")
    COMPLIANCE = _("Compliance")
    REPORTS = _("Reports")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None = None
    order: int = 100
    # Entries with a group appear in that group's drop-down menu, at the place of the
    # group's first entry.
    group: str | None = None


NAV_ITEMS = [
    NavItem(_("Home"), "home", None, 0),
    NavItem(_("Staff"), "staff-list", frozenset({Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN}), 900),
]
