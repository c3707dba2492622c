"""The menu, written out once in the order staff read it.

A menu is not discovered from the apps: its order and grouping are one decision, and a
reader should see the whole bar in one place. Each entry names a URL and the roles that
see it (None: every logged-in user); an entry whose URL is not installed is left out.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import APPROVER_ROLES, OVERSIGHT_ROLES, Role

ONLY_OFFICERS = frozenset({Role.OFFICER})
ONLY_HEADS = frozenset({Role.BRANCH_HEAD})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None = None


@dataclass(frozen=True)
class NavGroup:
    """A drop-down menu that gathers several apps' entries, so the bar stays one line."""

    label: str
    items: tuple[NavItem, ...]


MENU: tuple[NavItem | NavGroup, ...] = (
    NavItem(_("Home"), "home"),
    NavItem(_("Dashboard"), "dashboard"),
    NavItem(_("Awaiting your approval"), "approvals", OVERSIGHT_ROLES),
    NavGroup(
        _("Post-loan actions"),
        (
            NavItem(_("My actions"), "actions-worklist"),
            NavItem(_("Required actions"), "actions-branch", OVERSIGHT_ROLES),
            NavItem(_("Coming due"), "coming-due"),
            NavItem(_("Risk screening"), "screening-home"),
            NavItem(_("Guarantee circles"), "guarantee-circles", OVERSIGHT_ROLES),
            NavItem(_("Early-warning watchlist"), "watchlist"),
        ),
    ),
    NavGroup(
        _("Ledger"),
        (
            NavItem(_("Loans"), "loan-list"),
            NavItem(_("Borrowers"), "borrower-list"),
            NavItem(_("Class approvals"), "classification-pending", ONLY_HEADS),
            NavItem(_("Restructuring approvals"), "restructuring-pending", ONLY_HEADS),
            NavItem(_("Write-off approvals"), "writeoff-pending", APPROVER_ROLES),
            NavItem(_("Write-off register"), "writeoff-register"),
            NavItem(_("Imports"), "import-list", APPROVER_ROLES),
        ),
    ),
    NavGroup(
        _("Collections"),
        (
            NavItem(_("Collections"), "collections-worklist"),
            NavItem(_("Late entries (补录)"), "collections-late-entries", OVERSIGHT_ROLES),
            NavItem(_("Collection rules"), "collections-settings", ONLY_HEADS),
        ),
    ),
    NavGroup(
        _("Compliance"),
        (
            NavItem(_("Rules and training"), "compliance-my-record", ONLY_OFFICERS),
            NavItem(_("Rules and training"), "compliance-branch", OVERSIGHT_ROLES),
            NavItem(_("Violations"), "compliance-violations"),
            NavItem(_("Gifts and hospitality register"), "compliance-gifts"),
        ),
    ),
    NavGroup(
        _("Reports"),
        (
            NavItem(_("Monthly reports"), "dashboard-reports", OVERSIGHT_ROLES),
            NavItem(_("Snapshots"), "dashboard-snapshots", APPROVER_ROLES),
        ),
    ),
    NavItem(_("Staff"), "staff-list", OVERSIGHT_ROLES),
)


def _link(item: NavItem, role: Role | None) -> dict | None:
    if item.roles is not None and role not in item.roles:
        return None
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:
        return None
    return {"label": item.label, "url": url, "url_name": item.url_name, "children": []}


def menu_for(role: Role | None) -> list[dict]:
    """The menu a role sees: links, and groups with their links (empty groups dropped)."""
    entries = []
    for entry in MENU:
        if isinstance(entry, NavItem):
            if link := _link(entry, role):
                entries.append(link)
            continue
        children = [link for item in entry.items if (link := _link(item, role))]
        if children:
            entries.append({"label": entry.label, "url": None, "url_name": None, "children": children})
    return entries
