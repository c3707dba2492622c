from accounts.access import COLLECTION_ROLES
from core.registry import HomePanel
from loan_collections import selectors


def _panel(request):
    cases = (
        selectors.cases_visible_to(request.user)
        .filter(stage__in=selectors.OPEN_STAGES)
        .select_related("borrower")
        .order_by("next_action_on", "-days_past_due")[:8]
    )
    return {"status": selectors.quiet_status(request.user), "cases": list(cases)}


HOME_PANELS = [
    HomePanel(
        template="loan_collections/_home_panel.html",
        context=_panel,
        roles=COLLECTION_ROLES,
        order=30,
    )
]
