from accounts.access import profile_of, role_of
from accounts.navigation import menu_for
from accounts.selectors import role_label


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = role_of(user)
    entries = menu_for(role)
    # Every link, flat, for pages that list them (home) and for tests.
    flat = [child for entry in entries for child in (entry["children"] or [entry])]
    profile = profile_of(user)
    return {
        "nav_entries": entries,
        "nav_items": flat,
        "staff_profile": profile,
        "staff_role_label": role_label(profile),
        "user_role": role,
    }
