from importlib import import_module

from django.apps import apps
from django.shortcuts import render
from django.utils.module_loading import module_has_submodule

from accounts.access import Role, role_of, role_required
from accounts.selectors import staff_visible_to


def _home_panels():
    panels = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "home"):
            panels.extend(getattr(import_module(f"{config.name}.home"), "HOME_PANELS", []))
    return sorted(panels, key=lambda panel: panel.order)


def home(request):
    role = role_of(request.user)
    panels = []
    for panel in _home_panels():
        if panel.roles is not None and role not in panel.roles:
            continue
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    return render(request, "accounts/home.html", {"panels": panels})


@role_required(Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN)
def staff_list(request):
    return render(request, "accounts/staff_list.html", {"staff": staff_visible_to(request.user)})
