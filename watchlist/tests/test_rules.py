import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guarantees.models import ContagionFlag
from loans.factories import (
    BorrowerFactory,
    CollateralFactory,
    GuarantorFactory,
    IndustryPolicyFactory,
    LoanFactory,
)
from loans.models import Guarantee, PolicyLevel
from screening.models import EarlyWarningSignal, SignalKind, SignalStatus
from watchlist.rules import (
    RULES,
    candidate_loans,
    flagged_loans,
    guarantor_overdue,
    late_instalments,
    low_coverage,
    open_signal,
    restricted_industry,
)
from watchlist.tests.conftest import DAY


def _flags(rule):
    return rule(candidate_loans(), as_of=DAY)


# --- late instalments -------------------------------------------------------------------------


def test_two_of_the_last_six_instalments_paid_late_flag_the_loan(paying_loan):
    loan = paying_loan(late={0: 3, 4: 12})
    found = _flags(late_instalments)
    assert list(found) == [loan.pk]
    assert "2 of the last 6" in found[loan.pk]
    assert "due 2026-11-15, paid 2026-11-18" in found[loan.pk]


def test_one_late_instalment_of_six_does_not_flag(paying_loan):
    paying_loan(late={1: 20})
    assert _flags(late_instalments) == {}


def test_late_instalments_older_than_the_last_six_do_not_flag(paying_loan):
    paying_loan(late={6: 10, 7: 25})
    assert _flags(late_instalments) == {}


def test_paid_on_the_due_date_is_not_late(paying_loan):
    paying_loan(late={0: 0, 1: 0})
    assert _flags(late_instalments) == {}


def test_an_instalment_unpaid_after_its_due_date_counts_as_late(paying_loan):
    loan = paying_loan(late={0: None, 2: 4})
    assert "unpaid" in _flags(late_instalments)[loan.pk]


def test_an_overdue_loan_is_not_a_watchlist_candidate(paying_loan):
    paying_loan(late={0: 3, 1: 3}, days_past_due=15, overdue_principal=Decimal("100"), risk_class=2)
    assert flagged_loans(as_of=DAY) == {}


# --- guarantor overdue ------------------------------------------------------------------------


def test_a_guarantor_who_is_an_overdue_borrower_flags_the_loan(branch, officer):
    loan = LoanFactory(borrower__branch=branch, borrower__officer=officer, guarantee=Guarantee.SURETY)
    debtor = BorrowerFactory(name="王五", branch=branch, officer=officer)
    LoanFactory(borrower=debtor, days_past_due=40, overdue_principal=Decimal("500"), risk_class=3)
    GuarantorFactory(loan=loan, name="王五", id_number=debtor.id_number.lower())
    solvent = BorrowerFactory(branch=branch, officer=officer)
    LoanFactory(borrower=solvent)
    other = LoanFactory(borrower__branch=branch, borrower__officer=officer, guarantee=Guarantee.SURETY)
    GuarantorFactory(loan=other, id_number=solvent.id_number)
    found = _flags(guarantor_overdue)
    assert list(found) == [loan.pk]
    assert "王五" in found[loan.pk] and "40 days" in found[loan.pk]


def test_an_open_circle_flag_flags_the_loan_and_a_cleared_one_does_not(branch, officer):
    flagged, cleared = LoanFactory.create_batch(2, borrower__branch=branch, borrower__officer=officer)
    for loan, cleared_on in ((flagged, None), (cleared, DAY)):
        ContagionFlag.objects.create(
            loan=loan,
            branch=branch,
            officer=officer,
            circle="甲、乙、丙",
            overdue_members="丙公司",
            flagged_on=DAY - dt.timedelta(days=3),
            cleared_on=cleared_on,
        )
    found = _flags(guarantor_overdue)
    assert list(found) == [flagged.pk]
    assert "丙公司" in found[flagged.pk]


# --- collateral coverage ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("guarantee", "values", "flagged"),
    [
        (Guarantee.MORTGAGE, ["60000.00"], True),  # 0.75 after revaluation
        (Guarantee.PLEDGE, ["30000.00", "40000.00"], True),  # two items, 0.875
        (Guarantee.MORTGAGE, ["80000.00"], False),  # exactly 1.0 is not below
        (Guarantee.MORTGAGE, ["50000.00", "50000.00"], False),  # 1.25 together
        (Guarantee.SURETY, ["10000.00"], False),  # not a secured loan
    ],
)
def test_coverage_below_one_flags_secured_loans_only(branch, officer, guarantee, values, flagged):
    loan = LoanFactory(
        borrower__branch=branch, borrower__officer=officer, guarantee=guarantee, balance=Decimal("80000.00")
    )
    for value in values:
        CollateralFactory(loan=loan, appraised_value=Decimal(value), appraised_on=dt.date(2026, 11, 1))
    found = _flags(low_coverage)
    assert (loan.pk in found) is flagged
    if flagged:
        assert "2026-11-01" in found[loan.pk] and "80,000.00" in found[loan.pk]


def test_a_secured_loan_without_collateral_recorded_is_not_rated(branch, officer):
    LoanFactory(borrower__branch=branch, borrower__officer=officer, guarantee=Guarantee.MORTGAGE)
    assert _flags(low_coverage) == {}


# --- restricted industry ----------------------------------------------------------------------


def test_a_borrower_in_a_restricted_industry_flags_by_longest_prefix(branch, officer):
    IndustryPolicyFactory(code="C26", level=PolicyLevel.RESTRICTED)
    IndustryPolicyFactory(code="C13", name="农副食品加工业", level=PolicyLevel.ALLOWED)
    chemical = LoanFactory(
        borrower=BorrowerFactory(corporate=True, industry_code="C2614", branch=branch, officer=officer)
    )
    LoanFactory(borrower=BorrowerFactory(corporate=True, industry_code="C13", branch=branch, officer=officer))
    LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer, industry_code=""))
    found = _flags(restricted_industry)
    assert list(found) == [chemical.pk]
    assert found[chemical.pk].startswith("C26 ")


def test_no_flagged_policy_flags_nothing(branch, officer):
    LoanFactory(
        borrower=BorrowerFactory(corporate=True, industry_code="C2614", branch=branch, officer=officer)
    )
    assert _flags(restricted_industry) == {}


# --- open early-warning signal ----------------------------------------------------------------


def _signal(loan, *, status=SignalStatus.OPEN, on_loan=True):
    return EarlyWarningSignal.objects.create(
        borrower=loan.borrower,
        loan=loan if on_loan else None,
        branch=loan.branch,
        officer=loan.officer,
        kind=SignalKind.LITIGATION,
        severity="high",
        raised_by=loan.officer,
        raised_on=DAY - dt.timedelta(days=2),
        status=status,
        verification_result="" if status == SignalStatus.OPEN else "现场核实正常",
    )


def test_an_open_signal_on_the_loan_or_its_borrower_flags_the_loan(branch, officer):
    on_loan, on_borrower, verified = LoanFactory.create_batch(
        3, borrower__branch=branch, borrower__officer=officer
    )
    _signal(on_loan)
    _signal(on_borrower, on_loan=False)
    _signal(verified, status=SignalStatus.VERIFIED)
    found = _flags(open_signal)
    assert set(found) == {on_loan.pk, on_borrower.pk}
    assert "Litigation, raised 2026-11-28" in found[on_loan.pk]


# --- all rules --------------------------------------------------------------------------------


def test_every_reason_has_one_rule_in_order():
    assert [rule.code for rule in RULES] == [
        "late_instalments",
        "guarantor_overdue",
        "low_coverage",
        "restricted_industry",
        "open_signal",
    ]


def _one_of_each(paying_loan, branch, officer):
    paying_loan(late={0: 3, 1: 3})
    loan = LoanFactory(borrower__branch=branch, borrower__officer=officer, guarantee=Guarantee.MORTGAGE)
    CollateralFactory(loan=loan, appraised_value=Decimal("1000.00"))
    IndustryPolicyFactory(code="C26", level=PolicyLevel.RESTRICTED)
    LoanFactory(borrower=BorrowerFactory(corporate=True, industry_code="C26", branch=branch, officer=officer))
    _signal(LoanFactory(borrower__branch=branch, borrower__officer=officer))
    _signal(LoanFactory(borrower__branch=branch, borrower__officer=officer), on_loan=False)


def _count_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        flagged_loans(as_of=DAY)
    return len(captured.captured_queries)


def test_the_rules_run_a_constant_number_of_queries_whatever_the_number_of_loans(
    paying_loan, branch, officer
):
    _one_of_each(paying_loan, branch, officer)
    with_five = _count_queries()
    for _ in range(4):
        _one_of_each(paying_loan, branch, officer)
    assert _count_queries() == with_five
    assert len(flagged_loans(as_of=DAY)) == 5 * 5
