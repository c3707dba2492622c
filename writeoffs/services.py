"""Writing loss loans off (核销) and recording what is recovered afterwards (账销案存).

Source: 《金融企业呆账核销管理办法（2017年版）》 (财金〔2017〕90号). Article numbers are from
memory and unverified: the bad-debt conditions (chapter 2, about 第五条/第六条); write-off is
decided by the bank under its own procedure, with separation of who proposes and who approves;
after write-off the bank keeps its claim and keeps pursuing it (账销案存), and recoveries are
booked. Here: the responsible officer (or any loan-work role that sees the loan) proposes, a
head of the loan's branches decides, never their own proposal (maker-checker, as the
classification workflow in loans.services.classification).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, LOAN_WORK_ROLES, has_role, visible_branch_ids
from loans.domain import RiskClass
from loans.models import Loan, LoanStatus
from loans.selectors import loans_visible_to
from loans.services import ledger_changed, loans_lock
from writeoffs.models import Grounds, Recovery, RecoverySource, WriteOff, WriteOffStatus

ZERO = Decimal("0.00")


def write_off_may_propose(user, loan: Loan) -> bool:
    """Loan-work roles, on a loan they see (an officer: their own)."""
    return has_role(user, *LOAN_WORK_ROLES) and loans_visible_to(user).filter(pk=loan.pk).exists()


def write_off_may_decide(user, write_off: WriteOff) -> bool:
    return has_role(user, *APPROVER_ROLES) and write_off.loan.branch_id in visible_branch_ids(user)


def _check_writable(loan: Loan) -> None:
    if loan.status != LoanStatus.ACTIVE:
        raise ValidationError(
            _("Only an active loan can be written off; this loan is %(status)s.")
            % {"status": loan.get_status_display()}
        )
    if loan.risk_class != RiskClass.LOSS:
        raise ValidationError(
            _("Only a loss-class loan can be written off; this loan is %(label)s: reclassify it first.")
            % {"label": RiskClass(loan.risk_class).label}
        )


def _amounts(loan: Loan, principal: Decimal | None, interest: Decimal | None) -> tuple[Decimal, Decimal]:
    principal = loan.balance if principal is None else Decimal(principal)
    interest = loan.overdue_interest if interest is None else Decimal(interest)
    errors = {}
    if principal <= 0 or principal > loan.balance:
        errors["principal"] = _(
            "The principal written off must be more than 0 and at most the balance %(balance)s."
        ) % {"balance": loan.balance}
    if interest < 0:
        errors["interest"] = _("The interest written off cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return principal, interest


def write_off_propose(
    *,
    loan: Loan,
    grounds: str,
    reason: str,
    proposed_by,
    principal: Decimal | None = None,
    interest: Decimal | None = None,
) -> WriteOff:
    """Propose writing a loss loan off; by default its whole balance and overdue interest."""
    if not write_off_may_propose(proposed_by, loan):
        raise PermissionDenied
    reason = (reason or "").strip()
    if grounds not in Grounds.values:
        raise ValidationError({"grounds": _("Choose the bad-debt condition the loan meets.")})
    if not reason:
        raise ValidationError({"reason": _("Describe the facts and the evidence for the write-off.")})
    with transaction.atomic():
        loans_lock(loan_ids=[loan.pk])
        locked = Loan.objects.get(pk=loan.pk)
        _check_writable(locked)
        if locked.write_offs.filter(status=WriteOffStatus.PROPOSED).exists():
            raise ValidationError(_("This loan already has a write-off proposal waiting for a decision."))
        principal, interest = _amounts(locked, principal, interest)
        return WriteOff.objects.create(
            loan=locked,
            grounds=grounds,
            reason=reason,
            principal=principal,
            interest=interest,
            total=principal + interest,
            proposed_by=proposed_by,
            proposed_at=timezone.now(),
        )


def write_off_decide(*, write_off: WriteOff, decided_by, approve: bool, note: str = "") -> WriteOff:
    """A head approves or rejects a proposal, never their own. Approval takes the loan off
    the books: its status becomes written off (the ledger import keeps that status, see
    ledger_import.services.merge), so every balance and NPL figure, which count active loans
    only, leaves it out; the amounts stay in the write-off. The loan's own figures are kept
    as the core system reports them. Runs under the loan's row lock."""
    note = (note or "").strip()
    if not write_off_may_decide(decided_by, write_off):
        raise PermissionDenied
    with transaction.atomic():
        loans_lock(loan_ids=[write_off.loan_id])
        write_off = WriteOff.objects.select_for_update().select_related("loan").get(pk=write_off.pk)
        if write_off.status != WriteOffStatus.PROPOSED:
            raise ValidationError(_("This proposal was already decided."))
        if write_off.proposed_by_id == decided_by.pk:
            raise ValidationError(_("You cannot decide your own proposal: another branch head must."))
        loan = write_off.loan
        if approve:
            _check_writable(loan)
            if write_off.principal > loan.balance:
                raise ValidationError(
                    _(
                        "The balance changed since the proposal (now %(balance)s): reject it and propose again."
                    )
                    % {"balance": loan.balance}
                )
        elif not note:
            raise ValidationError({"note": _("Say why the proposal is rejected.")})
        now = timezone.now()
        write_off.status = WriteOffStatus.APPROVED if approve else WriteOffStatus.REJECTED
        write_off.decided_by, write_off.decided_at, write_off.decision_note = decided_by, now, note
        write_off.written_off_on = timezone.localdate(now) if approve else None
        write_off.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "written_off_on"]
        )
        if approve:
            Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.WRITTEN_OFF, updated_at=now)
            ledger_changed(loan_ids=[loan.pk], as_of=timezone.localdate(now))
    return write_off


def recovery_record(
    *,
    write_off: WriteOff,
    recovered_on: dt.date,
    amount: Decimal,
    source: str,
    recorded_by,
    note: str = "",
) -> Recovery:
    """Record money recovered on a written-off loan. The recoveries never add up to more
    than was written off: the write-off row is locked first, so two recoveries recorded at
    once are checked one after the other."""
    if not write_off_may_propose(recorded_by, write_off.loan):
        raise PermissionDenied
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount recovered must be more than 0.")})
    if source not in RecoverySource.values:
        raise ValidationError({"source": _("Choose where the money came from.")})
    if recovered_on > timezone.localdate():
        raise ValidationError({"recovered_on": _("The recovery date cannot be in the future.")})
    with transaction.atomic():
        locked = WriteOff.objects.select_for_update().get(pk=write_off.pk)
        if locked.status != WriteOffStatus.APPROVED:
            raise ValidationError(_("Recoveries are recorded only on an approved write-off."))
        if recovered_on < locked.written_off_on:
            raise ValidationError(
                {
                    "recovered_on": _("The recovery date cannot be before the write-off (%(day)s).")
                    % {"day": locked.written_off_on.isoformat()}
                }
            )
        recovered = locked.recoveries.aggregate(total=Sum("amount"))["total"] or ZERO
        if recovered + amount > locked.total:
            raise ValidationError(
                {
                    "amount": _(
                        "Recoveries cannot exceed the amount written off: %(total)s written off, "
                        "%(recovered)s already recovered, at most %(left)s left."
                    )
                    % {"total": locked.total, "recovered": recovered, "left": locked.total - recovered}
                }
            )
        return Recovery.objects.create(
            write_off=locked,
            recovered_on=recovered_on,
            amount=amount,
            source=source,
            recorded_by=recorded_by,
            note=(note or "").strip()[:200],
        )
