import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from loans.domain import Bucket, RiskClass
from loans.factories import LoanFactory
from loans.models import Loan, LoanStatus, Repayment, RepaymentSource, ScheduleLine
from loans.services import repayment_record, schedule_build, schedules_on_ledger_changed

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def fresh_loan(**kwargs):
    """A 12-month equal-principal loan, nothing repaid yet, with its schedule."""
    defaults = {
        "disbursed_on": dt.date(2026, 6, 15),
        "matures_on": dt.date(2027, 6, 15),
        "principal": Decimal("12000.00"),
        "balance": Decimal("12000.00"),
        "annual_rate": Decimal("6"),
        "repayment_method": "equal_principal",
        "repayment_day": 15,
    }
    loan = LoanFactory(**(defaults | kwargs))
    schedule_build(loan=loan, as_of=dt.date(2026, 6, 15))
    return loan


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_schedule_build_is_idempotent():
    loan = fresh_loan()
    first = [(line.seq, line.due_on, line.principal_due, line.interest_due) for line in loan.schedule.all()]
    schedule_build(loan=loan, as_of=dt.date(2026, 6, 15))
    assert [
        (line.seq, line.due_on, line.principal_due, line.interest_due) for line in loan.schedule.all()
    ] == first
    assert len(first) == 12
    assert sum(line[2] for line in first) == Decimal("12000.00")


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_recording_a_repayment_pays_the_oldest_instalments_and_lowers_the_balance():
    loan = fresh_loan()
    payment, created = repayment_record(
        loan=loan,
        paid_on=dt.date(2026, 7, 15),
        principal=Decimal("1000.00"),
        interest=Decimal("60.00"),
        source=RepaymentSource.STAFF,
        reference="S-1",
    )
    assert created
    loan.refresh_from_db()
    assert loan.balance == Decimal("11000.00")
    first = loan.schedule.get(seq=1)
    assert first.paid_on == dt.date(2026, 7, 15)
    # 15 Aug, 15 Sep, 15 Oct 2026 are due and unpaid on 20 Nov (15 Nov too): oldest 15 Aug.
    assert loan.days_past_due == (TODAY - dt.date(2026, 8, 15)).days
    assert loan.bucket == Bucket.D91_180
    assert loan.risk_class == RiskClass.SUBSTANDARD
    assert loan.overdue_principal == Decimal("4000.00")
    assert loan.classification_changes.get().kind == "floor"


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_the_same_reference_twice_records_one_payment():
    loan = fresh_loan()
    kwargs = {
        "loan": loan,
        "paid_on": dt.date(2026, 7, 15),
        "principal": "1000.00",
        "interest": "60.00",
        "source": RepaymentSource.API,
        "reference": "LS0001",
    }
    first, created = repayment_record(**kwargs)
    second, created_again = repayment_record(**kwargs)
    assert created and not created_again
    assert first.pk == second.pk
    assert Repayment.objects.count() == 1
    loan.refresh_from_db()
    assert loan.balance == Decimal("11000.00")


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_a_full_width_copy_of_a_reference_and_amount_records_one_payment():
    loan = fresh_loan()
    kwargs = {"loan": loan, "paid_on": dt.date(2026, 7, 15), "source": RepaymentSource.API}
    first, _ = repayment_record(**kwargs, principal="1000.00", interest="60", reference="LS0002")
    second, created = repayment_record(
        **kwargs, principal="１０００．００", interest="６０", reference="ＬＳ０００２"
    )
    assert not created and first.pk == second.pk
    loan.refresh_from_db()
    assert loan.balance == Decimal("11000.00")


@pytest.mark.parametrize("field,value", [("principal", "1²00"), ("reference", "LS²")])
def test_a_superscript_digit_in_a_repayment_is_a_field_error(field, value):
    loan = fresh_loan()
    kwargs = {"principal": "100", "interest": "0", "reference": "LS0003"} | {field: value}
    with pytest.raises(ValidationError) as raised:
        repayment_record(loan=loan, paid_on=dt.date(2026, 7, 15), source=RepaymentSource.API, **kwargs)
    assert field in raised.value.message_dict


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_paying_all_arrears_makes_the_loan_current_again():
    loan = fresh_loan()
    for month, seq in ((7, 1), (8, 2), (9, 3), (10, 4), (11, 5)):
        line = loan.schedule.get(seq=seq)
        repayment_record(
            loan=loan,
            paid_on=dt.date(2026, month, 15),
            principal=line.principal_due,
            interest=line.interest_due,
            source=RepaymentSource.STAFF,
            reference=f"S-{seq}",
        )
    loan.refresh_from_db()
    assert loan.days_past_due == 0
    assert loan.overdue_principal == 0
    assert loan.bucket == Bucket.CURRENT
    assert loan.balance == Decimal("7000.00")


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_a_prepayment_respreads_the_rest_of_the_schedule():
    loan = fresh_loan()
    repayment_record(
        loan=loan,
        paid_on=dt.date(2026, 11, 20),
        principal=Decimal("9000.00"),
        interest=Decimal("300.00"),
        source=RepaymentSource.STAFF,
        reference="S-pre",
    )
    loan.refresh_from_db()
    unpaid = sum(line.principal_due - line.principal_paid for line in loan.schedule.all())
    assert unpaid == loan.balance == Decimal("3000.00")
    assert loan.days_past_due == 0


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_paying_the_whole_balance_settles_the_loan():
    loan = fresh_loan(disbursed_on=dt.date(2026, 10, 1), matures_on=dt.date(2027, 10, 1), repayment_day=1)
    repayment_record(
        loan=loan,
        paid_on=dt.date(2026, 11, 1),
        principal=Decimal("12000.00"),
        interest=Decimal("60.00"),
        source=RepaymentSource.STAFF,
        reference="S-all",
    )
    loan.refresh_from_db()
    assert loan.balance == 0
    assert loan.status == LoanStatus.SETTLED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principal": "-1"}, "principal"),
        ({"interest": "-0.01"}, "interest"),
        ({"principal": "abc"}, "principal"),
        ({"principal": "1.234"}, "principal"),
        ({"principal": "12000.01"}, "principal"),
        ({"paid_on": dt.date(2026, 6, 1)}, "paid_on"),
        ({"paid_on": dt.date(2026, 11, 21)}, "paid_on"),
        ({"reference": "  "}, "reference"),
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_bad_repayments_are_refused_with_a_clear_error_and_change_nothing(changes, field):
    loan = fresh_loan()
    kwargs = {
        "loan": loan,
        "paid_on": dt.date(2026, 7, 15),
        "principal": "100",
        "interest": "10",
        "source": RepaymentSource.STAFF,
        "reference": "S-bad",
    } | changes
    with pytest.raises(ValidationError) as error:
        repayment_record(**kwargs)
    assert field in error.value.message_dict
    assert Repayment.objects.count() == 0
    assert Loan.objects.get(pk=loan.pk).balance == Decimal("12000.00")


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
def test_a_repayment_of_zero_is_refused():
    loan = fresh_loan()
    with pytest.raises(ValidationError, match="above zero"):
        repayment_record(
            loan=loan,
            paid_on=dt.date(2026, 7, 15),
            principal="0",
            interest="0",
            source=RepaymentSource.STAFF,
            reference="S-0",
        )


def test_reference_of_another_loans_payment_is_refused():
    loan = fresh_loan()
    other = fresh_loan()
    repayment_record(
        loan=loan, paid_on=dt.date(2026, 7, 15), principal="10", interest="0", source="staff", reference="X"
    )
    with pytest.raises(ValidationError, match="another loan"):
        repayment_record(
            loan=other,
            paid_on=dt.date(2026, 7, 15),
            principal="10",
            interest="0",
            source="staff",
            reference="X",
        )


def test_imported_loans_get_schedules_consistent_with_balance_and_days_past_due(
    django_assert_max_num_queries,
):
    as_of = dt.date(2026, 11, 20)
    current = LoanFactory(
        disbursed_on=dt.date(2025, 11, 10),
        matures_on=dt.date(2028, 11, 10),
        principal=Decimal("36000.00"),
        balance=Decimal("24500.00"),
        repayment_day=10,
        as_of=as_of,
    )
    overdue = LoanFactory(
        disbursed_on=dt.date(2025, 11, 10),
        matures_on=dt.date(2028, 11, 10),
        principal=Decimal("36000.00"),
        balance=Decimal("30000.00"),
        repayment_day=10,
        days_past_due=41,
        risk_class=RiskClass.SPECIAL_MENTION,
        bucket=Bucket.D31_60,
        as_of=as_of,
    )
    with django_assert_max_num_queries(12):
        schedules_on_ledger_changed(loan_ids=[current.pk, overdue.pk], as_of=as_of)
    for loan in (current, overdue):
        lines = list(loan.schedule.all())
        assert sum(line.principal_due - line.principal_paid for line in lines) == loan.balance
        assert lines[-1].due_on == dt.date(2028, 11, 10)
    assert not current.schedule.filter(paid_on__isnull=True, due_on__lt=as_of).exists()
    oldest = overdue.schedule.filter(paid_on__isnull=True).order_by("due_on").first()
    assert oldest.due_on == dt.date(2026, 10, 10)
    # Running it again changes nothing (idempotent): the lock, the aggregate and the loans
    # (plus the savepoint around them inside the test's transaction).
    before = list(ScheduleLine.objects.order_by("id").values_list("id", "principal_due", "paid_on"))
    with django_assert_max_num_queries(5):
        schedules_on_ledger_changed(loan_ids=[current.pk, overdue.pk], as_of=as_of)
    assert list(ScheduleLine.objects.order_by("id").values_list("id", "principal_due", "paid_on")) == before


def test_changed_terms_regenerate_only_the_unpaid_part():
    as_of = dt.date(2026, 11, 20)
    loan = LoanFactory(
        disbursed_on=dt.date(2026, 5, 10),
        matures_on=dt.date(2027, 5, 10),
        principal=Decimal("12000.00"),
        balance=Decimal("6000.00"),
        repayment_method="equal_principal",
        repayment_day=10,
        as_of=as_of,
    )
    schedules_on_ledger_changed(loan_ids=[loan.pk], as_of=as_of)
    paid = list(loan.schedule.filter(paid_on__isnull=False).values_list("id", flat=True))
    assert len(paid) == 6
    Loan.objects.filter(pk=loan.pk).update(matures_on=dt.date(2027, 11, 10), annual_rate=Decimal("3.5"))
    schedules_on_ledger_changed(loan_ids=[loan.pk], as_of=as_of)
    assert list(loan.schedule.filter(paid_on__isnull=False).values_list("id", flat=True)) == paid
    lines = list(loan.schedule.order_by("seq"))
    assert lines[-1].due_on == dt.date(2027, 11, 10)
    assert sum(line.principal_due - line.principal_paid for line in lines) == Decimal("6000.00")
    assert [line.seq for line in lines] == list(range(1, len(lines) + 1))
