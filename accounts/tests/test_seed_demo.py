import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_STAFF
from accounts.models import Branch, Role, StaffProfile


@pytest.mark.django_db
def test_seed_demo_creates_the_branch_staff_and_is_idempotent():
    call_command("seed_demo")
    call_command("seed_demo")
    assert get_user_model().objects.count() == len(DEMO_STAFF)
    county = Branch.objects.get(code="430424")
    assert county.parent.code == "4304"
    assert StaffProfile.objects.filter(branch=county, role=Role.OFFICER).count() == 8
    assert StaffProfile.objects.filter(branch=county, role=Role.BRANCH_HEAD).count() == 1
    assert StaffProfile.objects.filter(branch=county, role=Role.COMPLIANCE).count() == 1
    assert get_user_model().objects.get(username="officer1").check_password(DEMO_PASSWORD)
