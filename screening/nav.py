from django.utils.translation import gettext_lazy as _

from accounts.nav import NavItem

NAV_ITEMS = [NavItem(_("Risk screening"), "screening-home", None, 40)]
