from django.utils import timezone

from accounts.access import APPROVER_ROLES, LOAN_WORK_ROLES, role_of
from core.registry import HomePanel
from post_loan.models import ActionStatus, ReviewStatus
from post_loan.selectors import actions_visible_to, worklist_for


def actions_panel(request) -> dict | None:
    user = request.user
    if role_of(user) in APPROVER_ROLES:
        actions = actions_visible_to(user)
        return {
            "head": True,
            "late": actions.filter(status=ActionStatus.LATE).count(),
            "returned": actions.filter(
                review_status=ReviewStatus.RETURNED, status__in=["pending", "late"]
            ).count(),
            "awaiting": actions.filter(status=ActionStatus.DONE, review_status=ReviewStatus.NONE).count(),
        }
    lists = worklist_for(user, today=timezone.localdate())
    return {
        "head": False,
        "due": len(lists["due_this_week"]),
        "late": len(lists["late"]),
        "items": (lists["late"] + lists["due_this_week"])[:8],
    }


HOME_PANELS = [
    HomePanel(
        template="post_loan/_home_panel.html",
        context=actions_panel,
        roles=LOAN_WORK_ROLES,
        order=20,
    )
]
