from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.nav import NavGroup, NavItem

NAV_ITEMS = [
    NavItem(
        _("Imports"), "import-list", frozenset({Role.BRANCH_HEAD, Role.ADMIN}), 800, group=NavGroup.LEDGER
    )
]
