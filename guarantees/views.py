from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import APPROVER_ROLES, OVERSIGHT_ROLES, role_required, visible_branch_ids
from guarantees.selectors import guarantee_network_for, open_flags_visible_to
from guarantees.services import guarantee_contagion_run


@role_required(*OVERSIGHT_ROLES)
def circle_list(request):
    """The branch's guarantee circles by balance, the largest guarantors, the open flags."""
    network = guarantee_network_for(request.user)
    return render(
        request,
        "guarantees/circle_list.html",
        {
            "circles": network.circles,
            "chains": network.chains,
            "guarantors": network.guarantors()[:50],
            "flags": open_flags_visible_to(request.user)[:300],
        },
    )


@require_POST
@role_required(*APPROVER_ROLES)
def contagion_run(request):
    flags = guarantee_contagion_run(
        as_of=timezone.localdate(), branch_ids=set(visible_branch_ids(request.user))
    )
    messages.success(
        request, _("Guarantee-circle check done: %(count)s loans flagged.") % {"count": len(flags)}
    )
    return redirect("guarantee-circles")
