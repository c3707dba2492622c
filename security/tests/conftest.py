import pytest

from accounts.factories import make_staff
from accounts.models import Role


@pytest.fixture
def other_head(other_branch):
    """The branch head of ``other_branch``: passes the role checks, not the branch scope."""
    return make_staff(role=Role.BRANCH_HEAD, branch=other_branch, username="other_head")


@pytest.fixture
def people(
    officer, other_officer, branch_head, compliance_officer, outsider, other_head, branch, other_branch
):
    """Every persona by name, for the registry's builders and the expected statuses."""

    class People:
        pass

    found = People()
    for name, value in locals().items():
        if name not in {"People", "found"}:
            setattr(found, name, value)
    return found
