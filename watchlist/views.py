from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import APPROVER_ROLES, has_role, role_required, visible_branch_ids
from watchlist.forms import WatchlistFilterForm
from watchlist.selectors import counts_by_reason, entries_visible_to
from watchlist.services import watchlist_refresh

PAGE_SIZE = 100


def entry_list(request):
    """预警名单: the current loans getting worse the user may see, with their reasons."""
    form = WatchlistFilterForm(request.GET or None)
    reason = form.cleaned_data["reason"] if form.is_valid() else None
    entries = entries_visible_to(request.user, reason=reason)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "watchlist/entry_list.html",
        {
            "form": form,
            "page": page,
            "reason": reason or "",
            "figures": counts_by_reason(entries_visible_to(request.user)),
            "can_run": has_role(request.user, *APPROVER_ROLES),
        },
    )


@require_POST
@role_required(*APPROVER_ROLES)
def refresh_run(request):
    entries = watchlist_refresh(as_of=timezone.localdate(), branch_ids=set(visible_branch_ids(request.user)))
    messages.success(
        request, _("Watchlist refreshed: %(count)s loans on the list.") % {"count": len(entries)}
    )
    return redirect("watchlist")
