from django.utils.translation import gettext_lazy as _

from accounts.nav import NavGroup, NavItem

NAV_ITEMS = [NavItem(_("Risk screening"), "screening-home", None, 40, group=NavGroup.ACTIONS)]
