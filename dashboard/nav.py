from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.nav import NavGroup, NavItem

NAV_ITEMS = [
    NavItem(_("Dashboard"), "dashboard", None, 10),
    NavItem(
        _("Monthly reports"),
        "dashboard-reports",
        frozenset({Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN}),
        800,
        group=NavGroup.REPORTS,
    ),
    NavItem(
        _("Snapshots"),
        "dashboard-snapshots",
        frozenset({Role.BRANCH_HEAD, Role.ADMIN}),
        810,
        group=NavGroup.REPORTS,
    ),
]
