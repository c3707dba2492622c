"""Two branch heads approving the same restructuring at once, on the real PostgreSQL: the
loan's lock makes one wait; it then finds the proposal decided and is refused."""

import pytest
from django.core.exceptions import ValidationError

from accounts.factories import StaffProfileFactory
from accounts.models import Role
from core.testing import run_together
from loans.factories import BorrowerFactory, LoanFactory, RestructuringFactory
from loans.models import ClassificationChange, Loan, RestructuringStatus
from loans.services import restructuring_decide, schedule_build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_ledger_change_tasks(settings):
    settings.LEDGER_CHANGE_HANDLERS = []


def test_two_heads_approving_at_once_apply_the_restructuring_once(officer, branch):
    loan = LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    schedule_build(loan=loan)
    proposal = RestructuringFactory(loan=loan, proposed_by=officer)
    heads = [StaffProfileFactory(branch=branch, role=Role.BRANCH_HEAD).user for _ in range(2)]

    def approve(head):
        def job():
            try:
                restructuring_decide(restructuring=proposal, decided_by=head, approve=True, note="同意")
            except ValidationError:
                return "refused"
            return "approved"

        return job

    outcomes = run_together(approve(heads[0]), approve(heads[1]))

    assert sorted(outcomes) == ["approved", "refused"]
    proposal.refresh_from_db()
    assert proposal.status == RestructuringStatus.APPROVED
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.restructured and loan.matures_on == proposal.new_matures_on
    assert ClassificationChange.objects.filter(loan=loan).count() == 1
    unpaid = sum(line.principal_due - line.principal_paid for line in loan.schedule.all())
    assert unpaid == loan.balance
