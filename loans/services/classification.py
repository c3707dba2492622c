"""The five-tier classification workflow: proposals, maker-checker approval and the rule
for leaving non-performing."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, Role, profile_of, role_of, visible_branch_ids
from loans import schedules
from loans.domain import RiskClass, class_floor, is_non_performing, risk_class_floor
from loans.models import ChangeKind, ChangeStatus, ClassificationChange, Loan
from loans.services.ledger_changes import ledger_changed


def _months_later(day: dt.date, months: int) -> dt.date:
    return schedules.add_months(day, months, day.day)


def npl_exit_missing(*, loan: Loan, as_of: dt.date | None = None) -> list[str]:
    """What still stops this non-performing loan from moving back to performing (关注 or
    正常); empty when nothing does. The rule: arrears repaid, and since then at least two
    consecutive instalments paid on time, or six months."""
    as_of = as_of or timezone.localdate()
    missing = []
    if loan.overdue_principal > 0 or loan.overdue_interest > 0 or loan.days_past_due > 0:
        missing.append(
            _(
                "Arrears still unpaid: %(principal)s principal and %(interest)s interest, %(days)d days past due."
            )
            % {
                "principal": loan.overdue_principal,
                "interest": loan.overdue_interest,
                "days": loan.days_past_due,
            }
        )
        return missing
    lines = list(loan.schedule.filter(due_on__lte=as_of).order_by("seq"))
    late = [line.paid_on for line in lines if line.paid_on and line.paid_on > line.due_on]
    entered = (
        loan.classification_changes.filter(status=ChangeStatus.APPROVED, to_class__gte=RiskClass.SUBSTANDARD)
        .order_by("-proposed_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    marks = list(late)
    if entered:
        marks.append(timezone.localtime(entered).date())
    since = max(marks) if marks else loan.disbursed_on
    on_time = 0
    for line in lines:
        if line.due_on <= since:
            continue
        if line.paid_on is not None and line.paid_on <= line.due_on:
            on_time += 1
        else:
            on_time = 0
    six_months = _months_later(since, 6)
    if on_time < 2 and as_of < six_months:
        missing.append(
            _(
                "Since the arrears were settled on %(since)s, %(count)d instalment(s) were paid on time; "
                "two consecutive are needed, or six months (until %(date)s)."
            )
            % {"since": since.isoformat(), "count": on_time, "date": six_months.isoformat()}
        )
    return missing


def _can_propose(user, loan: Loan) -> bool:
    role = role_of(user)
    if role == Role.OFFICER:
        return loan.officer_id == user.pk
    return role in APPROVER_ROLES and loan.branch_id in visible_branch_ids(user)


def _can_approve(user, loan: Loan) -> bool:
    """Only a branch head of the loan's own branch approves (not a city branch's head)."""
    profile = profile_of(user)
    return role_of(user) == Role.BRANCH_HEAD and profile is not None and profile.branch_id == loan.branch_id


def _check_upgrade(loan: Loan, to_class: int) -> None:
    if to_class < loan.class_floor and class_floor(loan.days_past_due, loan.class_floor) > risk_class_floor(
        loan.days_past_due
    ):
        raise ValidationError(
            {
                "to_class": _(
                    "The loan is restructured and in its observation period: the class cannot be better "
                    "than %(floor)s (2023 classification measures, arts. 20-21)."
                )
                % {"floor": RiskClass(loan.class_floor).label}
            }
        )
    floor = risk_class_floor(loan.days_past_due)
    if to_class < floor:
        raise ValidationError(
            {
                "to_class": _(
                    "%(days)d days past due: the class cannot be better than %(floor)s "
                    "(2023 classification measures)."
                )
                % {"days": loan.days_past_due, "floor": RiskClass(floor).label}
            }
        )
    if is_non_performing(loan.risk_class) and not is_non_performing(to_class):
        missing = npl_exit_missing(loan=loan)
        if missing:
            raise ValidationError({"to_class": [_("The loan cannot leave non-performing yet.")] + missing})


def _apply_class(loan: Loan, to_class: int) -> None:
    Loan.objects.filter(pk=loan.pk).update(risk_class=to_class, updated_at=timezone.now())
    loan.risk_class = to_class


def classification_propose(*, loan: Loan, to_class: int, reason: str, proposed_by) -> ClassificationChange:
    """An officer (their own loans) or a branch head proposes a class. A worse class is
    applied at once; a better one waits for a branch head's approval and may never be
    better than the floor set by days past due."""
    reason = (reason or "").strip()
    if not _can_propose(proposed_by, loan):
        raise PermissionDenied
    if not reason:
        raise ValidationError({"reason": _("Say why the class should change.")})
    to_class = int(to_class)
    if to_class not in RiskClass.values:
        raise ValidationError({"to_class": _("Choose one of the five classes.")})
    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        if to_class == locked.risk_class:
            raise ValidationError({"to_class": _("The loan is already in this class.")})
        now = timezone.now()
        change = ClassificationChange(
            loan=locked,
            from_class=locked.risk_class,
            to_class=to_class,
            reason=reason,
            proposed_by=proposed_by,
            proposed_at=now,
        )
        if to_class > locked.risk_class:
            change.kind, change.status, change.decided_at = (
                ChangeKind.PROPOSED_WORSE,
                ChangeStatus.APPROVED,
                now,
            )
            change.save()
            _apply_class(locked, to_class)
            ledger_changed(loan_ids=[locked.pk], as_of=timezone.localdate())
        else:
            _check_upgrade(locked, to_class)
            if locked.classification_changes.filter(status=ChangeStatus.PENDING).exists():
                raise ValidationError(_("This loan already has a proposal waiting for approval."))
            change.kind, change.status = ChangeKind.PROPOSED_BETTER, ChangeStatus.PENDING
            change.save()
    loan.risk_class = locked.risk_class
    return change


def classification_decide(
    *, change: ClassificationChange, decided_by, approve: bool, note: str = ""
) -> ClassificationChange:
    """A branch head of the loan's branch approves or rejects a pending upgrade; never their
    own proposal (maker-checker). Approval checks the floor and the exit rule again."""
    with transaction.atomic():
        change = ClassificationChange.objects.select_for_update().select_related("loan").get(pk=change.pk)
        loan = Loan.objects.select_for_update().get(pk=change.loan_id)
        if not _can_approve(decided_by, loan):
            raise PermissionDenied
        if change.status != ChangeStatus.PENDING:
            raise ValidationError(_("This proposal was already decided."))
        if change.proposed_by_id == decided_by.pk:
            raise ValidationError(_("You cannot decide your own proposal: another branch head must."))
        if approve:
            if loan.risk_class != change.from_class:
                raise ValidationError(
                    _("The loan's class changed since the proposal (now %(label)s): propose again.")
                    % {"label": loan.get_risk_class_display()}
                )
            _check_upgrade(loan, change.to_class)
        elif not (note or "").strip():
            raise ValidationError({"note": _("Say why the proposal is rejected.")})
        change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
        change.decided_by = decided_by
        change.decided_at = timezone.now()
        change.decision_note = (note or "").strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            _apply_class(loan, change.to_class)
            ledger_changed(loan_ids=[loan.pk], as_of=timezone.localdate())
    return change
