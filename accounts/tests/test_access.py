import pytest

from accounts.access import can_see_personal_data, scope_queryset, visible_branch_ids
from accounts.models import StaffProfile
from accounts.selectors import staff_visible_to


def _names(queryset):
    return sorted(profile.user.username for profile in queryset)


def test_officer_sees_only_themself_among_staff(officer, other_officer, branch_head):
    assert _names(staff_visible_to(officer)) == ["officer"]


def test_branch_head_sees_the_whole_branch_but_not_a_sibling_branch(
    officer, other_officer, branch_head, outsider
):
    assert _names(staff_visible_to(branch_head)) == ["head", "officer", "other_officer"]


def test_city_branch_head_sees_every_branch_below(city_head, officer, outsider, branch, other_branch):
    assert {branch.id, other_branch.id} <= visible_branch_ids(city_head)
    assert {"officer", "outsider", "city"} <= set(_names(staff_visible_to(city_head)))


def test_compliance_officer_sees_the_branch(compliance_officer, officer, outsider):
    assert _names(staff_visible_to(compliance_officer)) == ["compliance", "officer"]


@pytest.mark.django_db
def test_anonymous_user_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not scope_queryset(StaffProfile.objects.all(), AnonymousUser(), officer_field="user").exists()


def test_personal_data_unmasked_only_for_responsible_officer_and_branch_head(
    officer, other_officer, branch_head, compliance_officer
):
    assert can_see_personal_data(officer, officer_id=officer.id)
    assert not can_see_personal_data(other_officer, officer_id=officer.id)
    assert can_see_personal_data(branch_head, officer_id=officer.id)
    assert not can_see_personal_data(compliance_officer, officer_id=officer.id)
