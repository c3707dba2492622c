from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.nav import NavGroup, NavItem

NAV_ITEMS = [
    NavItem(_("My actions"), "actions-worklist", None, 30, group=NavGroup.ACTIONS),
    NavItem(
        _("Required actions"),
        "actions-branch",
        frozenset({Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN}),
        31,
        group=NavGroup.ACTIONS,
    ),
]
