from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import module_has_submodule

from accounts.access import profile_of, role_of


def _all_nav_items():
    items = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "nav"):
            items.extend(getattr(import_module(f"{config.name}.nav"), "NAV_ITEMS", []))
    return sorted(items, key=lambda item: item.order)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = role_of(user)
    entries = []
    for item in _all_nav_items():
        if item.roles is not None and role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url, "url_name": item.url_name})
    return {"nav_items": entries, "staff_profile": profile_of(user), "user_role": role}
