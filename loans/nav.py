from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.nav import NavGroup, NavItem

NAV_ITEMS = [
    NavItem(_("Loans"), "loan-list", None, 100, group=NavGroup.LEDGER),
    NavItem(_("Borrowers"), "borrower-list", None, 110, group=NavGroup.LEDGER),
    NavItem(
        _("Class approvals"),
        "classification-pending",
        frozenset({Role.BRANCH_HEAD}),
        120,
        group=NavGroup.LEDGER,
    ),
]
