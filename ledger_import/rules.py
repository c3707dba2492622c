"""The rules a ledger row's values must keep, once its cells are read (rows.py).

Each rule looks at the row's ``Cells`` and reports what it finds with ``fail(column key,
message, params)``; a value that could not be read is None and its rules are skipped (the
cell is already reported). ``row_rules`` lists them in the order a row's errors are reported.
"""

import datetime as dt
import re
from collections.abc import Callable
from functools import partial

from django.utils.translation import gettext_lazy as _

from ledger_import.industries import industry_name
from ledger_import.rows import CHINESE_CLASS, Cells
from loans.domain import risk_class_floor

Fail = Callable[..., None]
Rule = Callable[[Cells, Fail], None]

_PHONE = re.compile(r"^(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$", re.ASCII)


def phone_is_a_phone_number(row: Cells, fail: Fail) -> None:
    if row.phone and not _PHONE.match(row.phone.replace(" ", "")):
        fail(
            "phone",
            _("Not a mainland mobile (11 digits starting with 1) or landline number: %(value)s."),
            {"value": row.phone},
        )


def industry_code_is_known(row: Cells, fail: Fail) -> None:
    if row.industry_code and industry_name(row.industry_code) is None:
        fail(
            "industry_code",
            _("Not a GB/T 4754 industry code (e.g. C26): %(value)s."),
            {"value": row.industry_code},
        )


def principal_is_positive(row: Cells, fail: Fail) -> None:
    if row.principal is not None and row.principal <= 0:
        fail("principal", _("The amount lent must be more than zero."))


def balance_within_principal(row: Cells, fail: Fail) -> None:
    if row.principal is not None and row.balance is not None and row.balance > row.principal:
        fail(
            "balance",
            _("The balance %(balance)s is more than the amount lent %(principal)s."),
            {"balance": row.balance, "principal": row.principal},
        )


def overdue_within_balance(row: Cells, fail: Fail) -> None:
    if row.balance is not None and row.overdue_principal is not None and row.overdue_principal > row.balance:
        fail(
            "overdue_principal",
            _("Overdue principal %(overdue)s is more than the balance %(balance)s."),
            {"overdue": row.overdue_principal, "balance": row.balance},
        )


def matures_after_disbursement(row: Cells, fail: Fail) -> None:
    if row.disbursed_on and row.matures_on and row.matures_on <= row.disbursed_on:
        fail(
            "matures_on",
            _("The maturity date %(matures)s is not after the disbursement date %(disbursed)s."),
            {"matures": row.matures_on, "disbursed": row.disbursed_on},
        )


def rate_below_cap(row: Cells, fail: Fail) -> None:
    if row.annual_rate_pct is not None and row.annual_rate_pct >= 36:
        fail(
            "annual_rate_pct",
            _("The annual rate must be at least 0 and below 36 %%: %(value)s."),
            {"value": row.annual_rate_pct},
        )


def repayment_day_in_month(row: Cells, fail: Fail) -> None:
    if row.repayment_day is not None and not 1 <= row.repayment_day <= 31:
        fail(
            "repayment_day",
            _("The repayment day must be between 1 and 31: %(value)s."),
            {"value": row.repayment_day},
        )


def as_of_not_in_future(row: Cells, fail: Fail, *, today: dt.date) -> None:
    if row.as_of and row.as_of > today:
        fail("as_of", _("The data date %(value)s is in the future."), {"value": row.as_of})


def class_within_overdue_floor(row: Cells, fail: Fail) -> None:
    """Days past due set the best class a loan may have (loans.domain.risk_class_floor)."""
    if row.days_past_due is None or row.risk_class is None:
        return
    floor = risk_class_floor(row.days_past_due)
    if row.risk_class < floor:
        fail(
            "risk_class",
            _("%(days)d days past due require at least %(floor)s; the file says %(given)s."),
            {
                "days": row.days_past_due,
                "floor": CHINESE_CLASS[floor],
                "given": CHINESE_CLASS[row.risk_class],
            },
        )


def restructured_on_in_loan_term(row: Cells, fail: Fail) -> None:
    """A restructuring date (重组日期) lies between disbursement and the data date."""
    if row.restructured_on is None:
        return
    if row.restructured is False:
        fail("restructured_on", _("A restructuring date needs the restructured flag set to yes."))
    elif (row.disbursed_on and row.restructured_on < row.disbursed_on) or (
        row.as_of and row.restructured_on > row.as_of
    ):
        fail(
            "restructured_on",
            _("The restructuring date %(value)s must lie between disbursement and the data date."),
            {"value": row.restructured_on},
        )


def row_rules(*, today: dt.date) -> tuple[Rule, ...]:
    """The rules of one row, in the order their errors are reported."""
    return (
        phone_is_a_phone_number,
        industry_code_is_known,
        principal_is_positive,
        balance_within_principal,
        overdue_within_balance,
        matures_after_disbursement,
        rate_below_cap,
        repayment_day_in_month,
        partial(as_of_not_in_future, today=today),
        class_within_overdue_floor,
        restructured_on_in_loan_term,
    )
