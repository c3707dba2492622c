from django.utils import timezone

from accounts.access import APPROVER_ROLES, COLLECTION_ROLES
from core.registry import HomePanel
from loan_collections import selectors
from loan_collections.models import PromiseStatus
from loan_collections.services import can_act_on_case


def _panel(request):
    cases = (
        selectors.cases_visible_to(request.user)
        .filter(stage__in=selectors.OPEN_STAGES)
        .select_related("borrower")
        .order_by("next_action_on", "-days_past_due")[:8]
    )
    cases = list(cases)
    return {
        "status": selectors.quiet_status(request.user),
        "cases": cases,
        "today": timezone.localdate(),
        "acting": {case.pk for case in cases if can_act_on_case(request.user, case)},
    }


def _broken_today(request):
    """Promises the 16:00 check found unpaid today: the head chases them with the officer."""
    promises = (
        selectors.promises_visible_to(request.user)
        .filter(status=PromiseStatus.BROKEN, due_on=timezone.localdate())
        .select_related("case__borrower", "case__officer__profile")
        .order_by("case__officer_id", "id")
    )
    return {"promises": list(promises[:20]), "count": promises.count()}


HOME_PANELS = [
    HomePanel(
        template="loan_collections/_home_broken_promises.html",
        context=_broken_today,
        roles=APPROVER_ROLES,
        order=2,
    ),
    HomePanel(
        template="loan_collections/_home_panel.html",
        context=_panel,
        roles=COLLECTION_ROLES,
        order=30,
    ),
]
