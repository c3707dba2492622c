"""Names the pages show next to the figures: officers and branches by id."""

from django.contrib.auth import get_user_model

from accounts.models import Branch


def officer_names(officer_ids) -> dict:
    User = get_user_model()
    names = {}
    for user_id, username, full_name in User.objects.filter(id__in=[i for i in officer_ids if i]).values_list(
        "id", "username", "profile__full_name"
    ):
        names[user_id] = full_name or username
    return names


def branches_by_id(branch_ids) -> dict:
    return {branch.pk: branch for branch in Branch.objects.filter(id__in=branch_ids).order_by("code")}
