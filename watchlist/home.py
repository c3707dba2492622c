"""The branch head's home panel: how many current loans are on the watchlist."""

from accounts.access import OVERSIGHT_ROLES
from core.registry import HomePanel
from watchlist.selectors import entries_visible_to


def watchlist_panel(request) -> dict:
    return {"count": entries_visible_to(request.user).count()}


HOME_PANELS = [
    HomePanel(
        template="watchlist/_home_panel.html",
        context=watchlist_panel,
        roles=OVERSIGHT_ROLES,
        order=25,
    )
]
