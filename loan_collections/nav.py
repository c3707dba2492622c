from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.nav import NavGroup, NavItem

NAV_ITEMS = [
    NavItem(_("Collections"), "collections-worklist", None, 300, group=NavGroup.COLLECTIONS),
    NavItem(
        _("Collection rules"),
        "collections-settings",
        frozenset({Role.BRANCH_HEAD}),
        950,
        group=NavGroup.COLLECTIONS,
    ),
]
