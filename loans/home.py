from django.urls import reverse

from accounts.models import Role
from core.registry import HomePanel
from loans.selectors import classification_pending_for


def pending_approvals(request):
    count = classification_pending_for(request.user).exclude(proposed_by=request.user).count()
    if not count:
        return None
    return {"count": count, "url": reverse("classification-pending")}


HOME_PANELS = [
    HomePanel(
        template="loans/_home_panel.html",
        context=pending_approvals,
        roles=frozenset({Role.BRANCH_HEAD}),
        order=20,
    ),
]
