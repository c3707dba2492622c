"""Recording repayments against a loan's schedule."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import normalize_ascii
from loans import schedules
from loans.models import Loan, LoanStatus, Repayment, RepaymentSource, ScheduleLine
from loans.services.arrears import _arrears_update
from loans.services.ledger_changes import ledger_changed
from loans.services.schedules import ZERO, _schedules_sync


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(normalize_ascii(value) or "0")
    except (InvalidOperation, ValidationError):
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 1234.56.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 1234.56.")})
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount != amount.quantize(schedules.FEN):
        raise ValidationError({field: _("Amounts have at most two decimal places (fen).")})
    return amount.quantize(schedules.FEN)


def _existing_repayment(*, loan: Loan, source: str, reference: str) -> Repayment | None:
    existing = Repayment.objects.filter(source=source, reference=reference).first()
    if existing is not None and existing.loan_id != loan.pk:
        raise ValidationError(
            {"reference": _("This reference is already used by a payment on another loan.")}
        )
    return existing


def _allocate(*, loan: Loan, principal: Decimal, interest: Decimal, paid_on: dt.date) -> Decimal:
    """Pay the oldest unpaid instalments: interest to their interest, principal to their
    principal, in due order. Returns the principal left over (a prepayment)."""
    lines = list(
        ScheduleLine.objects.select_for_update().filter(loan=loan, paid_on__isnull=True).order_by("seq")
    )
    touched = []
    for line in lines:
        if principal <= 0 and interest <= 0:
            break
        pay_interest = min(interest, line.interest_due - line.interest_paid)
        pay_principal = min(principal, line.principal_due - line.principal_paid)
        if pay_interest <= 0 and pay_principal <= 0:
            continue
        line.interest_paid += max(pay_interest, ZERO)
        line.principal_paid += max(pay_principal, ZERO)
        interest -= max(pay_interest, ZERO)
        principal -= max(pay_principal, ZERO)
        if line.interest_paid == line.interest_due and line.principal_paid == line.principal_due:
            line.paid_on = paid_on
        touched.append(line)
    if touched:
        ScheduleLine.objects.bulk_update(touched, ["principal_paid", "interest_paid", "paid_on"])
    return principal


def repayment_record(
    *,
    loan: Loan,
    paid_on: dt.date,
    principal: Decimal | str | int,
    interest: Decimal | str | int,
    source: str,
    reference: str,
    recorded_by=None,
) -> tuple[Repayment, bool]:
    """Record a repayment once: the same (source, reference) returns the existing payment
    and False. Otherwise, in one transaction with the loan locked: lowers the balance, pays
    the oldest unpaid instalments (interest first, then principal), recomputes the overdue
    amounts, days past due, bucket and classification floor, and reports the loan changed.
    Raises ValidationError (by field) with a message the user reads."""
    try:
        # One spelling per reference: a full-width copy of it must not record the payment twice.
        reference = normalize_ascii(reference)
    except ValidationError as error:
        raise ValidationError({"reference": error}) from None
    if not reference:
        raise ValidationError({"reference": _("A repayment needs its reference (transaction number).")})
    if source not in RepaymentSource.values:
        raise ValidationError({"source": _("Unknown repayment source.")})
    existing = _existing_repayment(loan=loan, source=source, reference=reference)
    if existing is not None:
        return existing, False
    principal = _money(principal, "principal")
    interest = _money(interest, "interest")
    if principal == 0 and interest == 0:
        raise ValidationError(_("A repayment needs a principal or an interest amount above zero."))
    today = timezone.localdate()
    if paid_on > today:
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})

    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        if locked.status != LoanStatus.ACTIVE:
            raise ValidationError(
                _("This loan is %(status)s: no repayment can be recorded.")
                % {"status": locked.get_status_display()}
            )
        if paid_on < locked.disbursed_on:
            raise ValidationError(
                {
                    "paid_on": _("The payment date is before the loan was disbursed (%(date)s).")
                    % {"date": locked.disbursed_on.isoformat()}
                }
            )
        if principal > locked.balance:
            raise ValidationError(
                {
                    "principal": _(
                        "The principal repaid (%(amount)s) is more than the balance (%(balance)s)."
                    )
                    % {"amount": principal, "balance": locked.balance}
                }
            )
        existing = _existing_repayment(loan=locked, source=source, reference=reference)
        if existing is not None:
            return existing, False
        _schedules_sync([locked.pk], as_of=today)
        try:
            with transaction.atomic():
                repayment = Repayment.objects.create(
                    loan=locked,
                    paid_on=paid_on,
                    principal=principal,
                    interest=interest,
                    source=source,
                    reference=reference,
                    recorded_by=recorded_by,
                )
        except IntegrityError:  # the same reference recorded concurrently
            return Repayment.objects.get(source=source, reference=reference), False
        _allocate(loan=locked, principal=principal, interest=interest, paid_on=paid_on)
        Loan.objects.filter(pk=locked.pk).update(balance=F("balance") - principal, updated_at=timezone.now())
        _schedules_sync([locked.pk], as_of=today)  # a prepayment re-spreads the rest
        _arrears_update(as_of=today, loan_ids=[locked.pk])
        Loan.objects.filter(pk=locked.pk, balance=0, overdue_interest=0).update(status=LoanStatus.SETTLED)
        ledger_changed(loan_ids=[locked.pk], as_of=today)
    loan.refresh_from_db()
    return repayment, True
