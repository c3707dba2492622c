import datetime as dt
from decimal import Decimal

import pytest

from core.registry import DashboardScope
from loan_collections import services
from loan_collections.dashboard_sections import DASHBOARD_SECTIONS, report_tables, section_context
from loan_collections.factories import CollectionCaseFactory, PromiseToPayFactory, overdue_loan
from loan_collections.models import PromiseStatus
from loans.factories import BorrowerFactory, RepaymentFactory
from loans.tasks import run_ledger_change_handlers


@pytest.mark.django_db
def test_dashboard_section_counts_stages_kept_rate_and_recovery(
    branch, officer, django_assert_max_num_queries
):
    borrower = BorrowerFactory(branch=branch, officer=officer)
    loan = overdue_loan(borrower=borrower, disbursed_on=dt.date(2025, 3, 1))
    case = CollectionCaseFactory(borrower=borrower)
    RepaymentFactory(
        loan=loan, paid_on=dt.date(2026, 11, 10), principal=Decimal("8000.00"), interest=Decimal("0.01")
    )
    services.plan_create(case=case, by=officer, year=2026)
    PromiseToPayFactory(
        contact__case=case, status=PromiseStatus.KEPT, checked_at=dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)
    )
    PromiseToPayFactory(
        contact__case=case,
        status=PromiseStatus.BROKEN,
        checked_at=dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC),
    )
    scope = DashboardScope(
        user=officer, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=dt.date(2026, 11, 28)
    )
    with django_assert_max_num_queries(4):
        context = section_context(scope)
    assert {row["count"] for row in context["stages"] if row["stage"] == "reminder"} == {1}
    assert context["kept_rate"] == 50
    assert context["recovered_wan"] == Decimal("0.80")
    assert context["target_wan"] == Decimal("8.80")  # 80,000 balance + 8,000 repaid since 1 January
    assert len(report_tables(scope)) == 2 and DASHBOARD_SECTIONS[0].template.endswith("_dashboard.html")


@pytest.mark.django_db
def test_the_ledger_change_task_opens_the_case(branch, officer):
    loan = overdue_loan(borrower=BorrowerFactory(branch=branch, officer=officer))
    run_ledger_change_handlers([loan.pk], "2026-11-18")
    assert loan.borrower.collection_cases.get().figures_as_of == dt.date(2026, 11, 18)
