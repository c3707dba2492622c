from django.shortcuts import render

from accounts.access import Role, role_required
from accounts.selectors import staff_visible_to


def home(request):
    return render(request, "accounts/home.html")


@role_required(Role.BRANCH_HEAD, Role.COMPLIANCE, Role.ADMIN)
def staff_list(request):
    return render(request, "accounts/staff_list.html", {"staff": staff_visible_to(request.user)})
