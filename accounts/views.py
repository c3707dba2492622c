from django.shortcuts import render

from accounts.access import OVERSIGHT_ROLES, role_of, role_required
from accounts.selectors import parent_branch_ids, role_label, staff_visible_to
from core.registry import home_panels_for


def home(request):
    panels = []
    for panel in home_panels_for(role_of(request.user)):
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    return render(request, "accounts/home.html", {"panels": panels})


@role_required(*OVERSIGHT_ROLES)
def staff_list(request):
    parents = parent_branch_ids()
    staff = [(member, role_label(member, parents=parents)) for member in staff_visible_to(request.user)]
    return render(request, "accounts/staff_list.html", {"staff": staff})
