import pytest

from accounts.factories import StaffProfileFactory
from accounts.models import Role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ledger_officers(branch):
    """Officers K0001 and K0002 of ``branch`` (衡东支行, 430424)."""
    return {
        number: StaffProfileFactory(branch=branch, role=Role.OFFICER, employee_no=number).user
        for number in ("K0001", "K0002")
    }
