from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.nav import NavItem

NAV_ITEMS = [
    NavItem(_("Collections"), "collections-worklist", None, 300),
    NavItem(_("Collection rules"), "collections-settings", frozenset({Role.BRANCH_HEAD}), 950),
]
