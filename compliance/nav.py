from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.nav import NavGroup, NavItem

NAV_ITEMS = [
    NavItem(
        _("Rules and training"),
        "compliance-my-record",
        frozenset({Role.OFFICER}),
        400,
        group=NavGroup.COMPLIANCE,
    ),
    NavItem(
        _("Rules and training"),
        "compliance-branch",
        frozenset({Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN}),
        400,
        group=NavGroup.COMPLIANCE,
    ),
    NavItem(_("Violations"), "compliance-violations", None, 410, group=NavGroup.COMPLIANCE),
]
