from django.utils import timezone

from accounts.access import profile_of, sees_whole_branch, visible_branch_ids
from compliance.models import Acknowledgement, MeetingProblem, ProblemStatus
from compliance.selectors import branch_figures, outstanding_acknowledgements, year_span
from core.registry import HomePanel


def panel_context(request) -> dict | None:
    """The user's outstanding acknowledgements and open meeting problems; for the branch
    head and compliance, the branch's outstanding acknowledgements and who is behind."""
    user = request.user
    if profile_of(user) is None:
        return None
    context = {
        "outstanding": list(outstanding_acknowledgements(staff=user)[:10]),
        "problems": list(
            MeetingProblem.objects.filter(owner=user, status=ProblemStatus.OPEN).order_by("due_on")[:5]
        ),
        "branch_outstanding": None,
    }
    if sees_whole_branch(user):
        context["branch_outstanding"] = Acknowledgement.objects.filter(
            branch_id__in=visible_branch_ids(user),
            acknowledged_at__isnull=True,
            regulation__superseded_by__isnull=True,
        ).count()
        start, end = year_span(timezone.localdate())
        context["behind"] = sum(1 for row in branch_figures(user=user, start=start, end=end) if row.is_behind)
    return context


HOME_PANELS = [HomePanel(template="compliance/_home_panel.html", context=panel_context, roles=None, order=40)]
