from accounts.home import HomePanel
from accounts.models import Role
from loan_collections import selectors


def _panel(request):
    from loan_collections.views import quiet_status

    cases = (
        selectors.cases_visible_to(request.user)
        .filter(stage__in=selectors.OPEN_STAGES)
        .select_related("borrower")
        .order_by("next_action_on", "-days_past_due")[:8]
    )
    return {"status": quiet_status(request.user), "cases": list(cases)}


HOME_PANELS = [
    HomePanel(
        template="loan_collections/_home_panel.html",
        context=_panel,
        roles=frozenset({Role.OFFICER, Role.BRANCH_HEAD}),
        order=30,
    )
]
