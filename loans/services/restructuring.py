"""Restructuring and extension (重组 / 展期): the officer's proposal, the branch head's approval
(maker-checker), which applies the new terms, rebuilds the unpaid schedule and sets the class
floor and the observation period, and restructured flags from the core banking import.

Rules: 商业银行金融资产风险分类办法 (2023), arts. 17-22, as summarised in loans.domain."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loans import schedules
from loans.domain import RiskClass, restructuring_floor
from loans.domain import observation_window as domain_window
from loans.models import (
    ChangeKind,
    ChangeStatus,
    ClassificationChange,
    Loan,
    LoanStatus,
    RepaymentMethod,
    Restructuring,
    RestructuringKind,
    RestructuringSource,
    RestructuringStatus,
    ScheduleLine,
)
from loans.services.classification import _can_approve, _can_propose
from loans.services.ledger_changes import ledger_changed
from loans.services.locks import loans_lock
from loans.services.schedules import _schedules_sync

OLD_TERMS = ("matures_on", "annual_rate", "repayment_method", "repayment_day")


def _clean_terms(
    loan: Loan, *, kinds, difficulty, new_matures_on, new_annual_rate, new_repayment_method, new_repayment_day
):
    errors = {}
    kinds = sorted(set(kinds or []))
    if not kinds or any(kind not in RestructuringKind.values for kind in kinds):
        errors["kinds"] = _("Choose at least one adjustment.")
    if not (difficulty or "").strip():
        errors["difficulty"] = _("Describe the debtor's financial difficulty (a restructuring requires one).")
    today = timezone.localdate()
    if new_matures_on is None or new_matures_on <= max(loan.disbursed_on, today):
        errors["new_matures_on"] = _("The new maturity must be after today.")
    elif RestructuringKind.EXTENSION in kinds and new_matures_on <= loan.matures_on:
        errors["new_matures_on"] = _("An extension needs a maturity later than %(date)s.") % {
            "date": loan.matures_on.isoformat()
        }
    rate = Decimal(new_annual_rate) if new_annual_rate is not None else None
    if rate is None or not Decimal(0) <= rate < Decimal(36):
        errors["new_annual_rate"] = _("The annual rate must be between 0 and 36 %.")
    elif RestructuringKind.LOWER_RATE in kinds and rate >= loan.annual_rate:
        errors["new_annual_rate"] = _("A lower rate must be below the present %(rate)s %%.") % {
            "rate": loan.annual_rate
        }
    if new_repayment_method not in RepaymentMethod.values:
        errors["new_repayment_method"] = _("Choose a repayment method.")
    if new_repayment_day is None or not 1 <= int(new_repayment_day) <= 31:
        errors["new_repayment_day"] = _("The repayment day is a day of the month, 1 to 31.")
    if errors:
        raise ValidationError(errors)
    return kinds, rate


def restructuring_propose(
    *,
    loan: Loan,
    proposed_by,
    kinds,
    difficulty: str,
    new_matures_on: dt.date,
    new_annual_rate,
    new_repayment_method: str,
    new_repayment_day: int,
) -> Restructuring:
    """The responsible officer (or a branch head) proposes a restructuring (art. 17: the
    debtor is in financial difficulty and the contract is adjusted in its favour; art. 18:
    the adjustments). The terms now are kept as the old terms; nothing changes on the loan
    until a branch head approves."""
    if not _can_propose(proposed_by, loan):
        raise PermissionDenied
    kinds, rate = _clean_terms(
        loan,
        kinds=kinds,
        difficulty=difficulty,
        new_matures_on=new_matures_on,
        new_annual_rate=new_annual_rate,
        new_repayment_method=new_repayment_method,
        new_repayment_day=new_repayment_day,
    )
    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        if locked.status != LoanStatus.ACTIVE:
            raise ValidationError(_("Only an active loan can be restructured."))
        if locked.restructurings.filter(status=RestructuringStatus.PROPOSED).exists():
            raise ValidationError(_("This loan already has a restructuring waiting for approval."))
        return Restructuring.objects.create(
            loan=locked,
            kinds=kinds,
            difficulty=difficulty.strip(),
            old_matures_on=locked.matures_on,
            old_annual_rate=locked.annual_rate,
            old_repayment_method=locked.repayment_method,
            old_repayment_day=locked.repayment_day,
            old_balance=locked.balance,
            old_risk_class=locked.risk_class,
            new_matures_on=new_matures_on,
            new_annual_rate=rate,
            new_repayment_method=new_repayment_method,
            new_repayment_day=int(new_repayment_day),
            status=RestructuringStatus.PROPOSED,
            proposed_by=proposed_by,
            proposed_at=timezone.now(),
        )


def _raise_class(loan: Loan, floor: int, *, reason: str) -> None:
    """The loan's floor is set, its class raised to it when better (recorded as a change)."""
    now = timezone.now()
    new_class = max(loan.risk_class, floor)
    if new_class != loan.risk_class:
        ClassificationChange.objects.create(
            loan=loan,
            from_class=loan.risk_class,
            to_class=new_class,
            reason=reason,
            kind=ChangeKind.RESTRUCTURING,
            status=ChangeStatus.APPROVED,
            proposed_at=now,
            decided_at=now,
        )
    Loan.objects.filter(pk=loan.pk).update(
        class_floor=floor, risk_class=new_class, restructured=True, updated_at=now
    )
    loan.class_floor, loan.risk_class, loan.restructured = floor, new_class, True


def _floor_reason(floor: int, again: bool) -> str:
    if again:
        return _("Restructured again within the observation period: at least %(label)s (art. 21).") % {
            "label": RiskClass(floor).label
        }
    return _("Restructured: at least %(label)s during the observation period (art. 20).") % {
        "label": RiskClass(floor).label
    }


def _close_current(loan: Loan, *, on: dt.date) -> bool:
    """A restructuring still in observation is superseded by a new one; True if there was one."""
    return bool(
        Restructuring.objects.filter(
            loan=loan, status=RestructuringStatus.APPROVED, left_on__isnull=True
        ).update(left_on=on, left_note=_("Superseded by a new restructuring."))
    )


def restructuring_decide(
    *, restructuring: Restructuring, decided_by, approve: bool, note: str = ""
) -> Restructuring:
    """A branch head of the loan's branch, not the proposer, approves or rejects. Approval,
    under the loan's lock: the new terms on the loan, the unpaid schedule rebuilt from them
    (loans.services.schedules), the class floor (arts. 20-21) and the observation period
    (art. 19) from the first due date of the new schedule after today."""
    note = (note or "").strip()
    with transaction.atomic():
        loans_lock(loan_ids=[restructuring.loan_id])
        restructuring = Restructuring.objects.select_for_update().get(pk=restructuring.pk)
        loan = Loan.objects.get(pk=restructuring.loan_id)
        if not _can_approve(decided_by, loan):
            raise PermissionDenied
        if restructuring.status != RestructuringStatus.PROPOSED:
            raise ValidationError(_("This restructuring was already decided."))
        if restructuring.proposed_by_id == decided_by.pk:
            raise ValidationError(_("You cannot decide your own proposal: another branch head must."))
        if not approve and not note:
            raise ValidationError({"note": _("Say why the proposal is rejected.")})
        restructuring.decided_by, restructuring.decided_at = decided_by, timezone.now()
        restructuring.decision_note = note
        if not approve:
            restructuring.status = RestructuringStatus.REJECTED
            restructuring.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
            return restructuring
        _approve(restructuring, loan)
    return restructuring


def _approve(restructuring: Restructuring, loan: Loan) -> None:
    before = tuple(getattr(loan, name) for name in OLD_TERMS)
    proposed_on = tuple(getattr(restructuring, f"old_{name}") for name in OLD_TERMS)
    if before != proposed_on or loan.status != LoanStatus.ACTIVE:
        raise ValidationError(_("The loan's terms changed since the proposal: propose again."))
    today = timezone.localdate()
    again = _close_current(loan, on=today)
    floor = restructuring_floor(class_before=loan.risk_class, again_in_observation=again)
    Loan.objects.filter(pk=loan.pk).update(
        matures_on=restructuring.new_matures_on,
        annual_rate=restructuring.new_annual_rate,
        repayment_method=restructuring.new_repayment_method,
        repayment_day=restructuring.new_repayment_day,
        updated_at=timezone.now(),
    )
    _raise_class(loan, floor, reason=_floor_reason(floor, again))
    # The terms key changed: the untouched instalments from today on are spread again.
    _schedules_sync([loan.pk], as_of=today)
    due_dates = ScheduleLine.objects.filter(loan=loan).values_list("due_on", flat=True)
    start, end = domain_window(due_dates=list(due_dates), after=today)
    restructuring.status = RestructuringStatus.APPROVED
    restructuring.again_in_observation = again
    restructuring.class_floor = floor
    restructuring.effective_on = today
    restructuring.observation_starts_on, restructuring.observation_ends_on = start, end
    restructuring.save()
    ledger_changed(loan_ids=[loan.pk], as_of=today)


def due_dates_from_terms(loan: Loan) -> list[dt.date]:
    """The due dates the loan's terms give (without its stored schedule)."""
    items = schedules.build_schedule(
        principal=loan.principal,
        annual_rate=loan.annual_rate,
        method=loan.repayment_method,
        start=loan.disbursed_on,
        matures_on=loan.matures_on,
        repayment_day=loan.repayment_day,
    )
    return [item.due_on for item in items]


def restructuring_import_flags(*, flags: dict[int, dt.date | None], as_of: dt.date) -> int:
    """The core banking ledger says these loans are restructured (restructured_on, or the
    file's date when blank). A loan with a restructuring in observation recorded here keeps
    it; any other is marked restructured from that date with the floor of art. 20 and an
    observation period from its terms (art. 19). A "no" in the file never ends an observation
    period: only the rules do (see docs/domain.md). Returns how many loans were marked."""
    ids = sorted(flags)
    if not ids:
        return 0
    marked = 0
    with transaction.atomic():
        loans_lock(loan_ids=ids)
        open_ids = set(
            Restructuring.objects.filter(
                loan_id__in=ids, status=RestructuringStatus.APPROVED, left_on__isnull=True
            ).values_list("loan_id", flat=True)
        )
        for loan in Loan.objects.filter(pk__in=ids, status=LoanStatus.ACTIVE).exclude(pk__in=open_ids):
            on = flags[loan.pk] or as_of
            class_before = loan.risk_class
            floor = restructuring_floor(class_before=loan.risk_class, again_in_observation=False)
            start, end = domain_window(due_dates=due_dates_from_terms(loan), after=on)
            _raise_class(loan, floor, reason=_floor_reason(floor, False))
            now = timezone.now()
            Restructuring.objects.create(
                loan=loan,
                source=RestructuringSource.IMPORT,
                difficulty=_("Restructured according to the core banking ledger."),
                **{f"old_{name}": getattr(loan, name) for name in OLD_TERMS},
                **{f"new_{name}": getattr(loan, name) for name in OLD_TERMS},
                old_balance=loan.balance,
                old_risk_class=class_before,
                status=RestructuringStatus.APPROVED,
                proposed_at=now,
                decided_at=now,
                class_floor=floor,
                effective_on=on,
                observation_starts_on=start,
                observation_ends_on=end,
            )
            marked += 1
    return marked
