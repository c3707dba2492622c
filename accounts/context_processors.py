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
    entries, groups = [], {}
    for item in _all_nav_items():
        if item.roles is not None and role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        link = {"label": item.label, "url": url, "url_name": item.url_name, "children": []}
        if item.group is None:
            entries.append(link)
            continue
        if item.group not in groups:
            groups[item.group] = {"label": item.group, "url": None, "url_name": None, "children": []}
            entries.append(groups[item.group])
        groups[item.group]["children"].append(link)
    # Every link, flat, for pages that list them (home) and for tests.
    flat = [child for entry in entries for child in (entry["children"] or [entry])]
    return {"nav_entries": entries, "nav_items": flat, "staff_profile": profile_of(user), "user_role": role}
