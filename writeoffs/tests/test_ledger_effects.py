"""What a write-off does to the rest of the application: the figures, the collection case,
a later ledger import."""

from decimal import Decimal

import pytest

from accounts.factories import StaffProfileFactory
from accounts.models import Role
from core.registry import DashboardScope
from dashboard.selectors.ledger import ledger_rows
from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.services import ledger_import
from loan_collections.models import OPEN_STAGES, CollectionCase
from loan_collections.services import cases_on_ledger_changed, cases_sync
from loans.factories import LoanFactory
from loans.models import Loan, LoanStatus
from loans.selectors import loans_filtered
from writeoffs.dashboard_sections import write_offs_context
from writeoffs.models import Grounds
from writeoffs.services import write_off_decide, write_off_propose

pytestmark = pytest.mark.django_db


def _write_off(loan, officer, head):
    proposal = write_off_propose(loan=loan, grounds=Grounds.COURT, reason="终结执行", proposed_by=officer)
    return write_off_decide(write_off=proposal, decided_by=head, approve=True)


def _totals(branch):
    rows = ledger_rows(branch_ids=[branch.pk])
    return (
        sum((row["balance"] for row in rows), Decimal(0)),
        sum((row["npl_balance"] for row in rows), Decimal(0)),
        sum(row["loan_count"] for row in rows),
    )


def test_the_written_off_loan_leaves_the_balance_and_the_npl_figures(loss_loan, officer, branch, branch_head):
    LoanFactory(borrower__branch=branch, borrower__officer=officer, balance=Decimal("50000.00"))
    before = _totals(branch)
    assert before == (Decimal("130000.00"), Decimal("80000.00"), 2)

    write_off = _write_off(loss_loan, officer, branch_head)

    assert _totals(branch) == (Decimal("50000.00"), Decimal("0.00"), 1)
    assert not loans_filtered(branch_head, group="npl").exists()
    assert list(loans_filtered(branch_head, group="written_off")) == [loss_loan]
    # ... and the dashboard shows it apart, in its own section.
    scope = DashboardScope(
        user=branch_head, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=write_off.written_off_on
    )
    figures = write_offs_context(scope)
    assert figures["count"] == 1
    assert figures["written_off"] == figures["written_off_year"] == Decimal("82000.00")


def test_the_collection_case_stays_open_after_the_write_off_and_a_ledger_change(
    loss_loan, officer, branch_head
):
    cases_sync(as_of=loss_loan.disbursed_on.replace(year=2026), borrower_ids=[loss_loan.borrower_id])
    case = CollectionCase.objects.get(borrower=loss_loan.borrower)
    assert case.stage in OPEN_STAGES

    _write_off(loss_loan, officer, branch_head)
    cases_on_ledger_changed(loan_ids=[loss_loan.pk], as_of=loss_loan.disbursed_on.replace(year=2026))
    cases_sync(as_of=loss_loan.disbursed_on.replace(year=2026))

    case.refresh_from_db()
    assert case.stage in OPEN_STAGES
    assert case.closed_on is None


def test_a_borrower_without_a_write_off_still_has_the_case_closed_when_current(loss_loan):
    as_of = loss_loan.disbursed_on.replace(year=2026)
    cases_sync(as_of=as_of, borrower_ids=[loss_loan.borrower_id])
    Loan.objects.filter(pk=loss_loan.pk).update(status=LoanStatus.SETTLED)
    cases_on_ledger_changed(loan_ids=[loss_loan.pk], as_of=as_of)
    assert not CollectionCase.objects.filter(borrower=loss_loan.borrower, stage__in=OPEN_STAGES).exists()


def test_a_later_ledger_import_keeps_the_loan_written_off(branch, branch_head):
    officer = StaffProfileFactory(branch=branch, role=Role.OFFICER, employee_no="K0001").user
    row = ledger_row(逾期本金="30000", 逾期利息="2000", 逾期天数="400", 五级分类="损失")
    assert not ledger_import(data=ledger_csv([row])).errors
    loan = Loan.objects.get(loan_no=row["借据号"])
    _write_off(loan, officer, branch_head)

    newer = dict(row, 数据日期="2026-11-30", 逾期天数="430")
    assert not ledger_import(data=ledger_csv([newer])).errors

    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF
    assert loan.days_past_due == 430  # the core system's figures still arrive
