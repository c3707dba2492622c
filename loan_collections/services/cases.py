"""Collection cases: opened by hand or from the ledger, moved along the flow, closed."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import has_role, visible_branch_ids
from accounts.models import Role
from core.locks import advisory_xact_lock
from loan_collections.models import OPEN_STAGES, CollectionCase, LegalStage, Stage, StageChange
from loan_collections.selectors import ZERO, borrower_has_overdue, branch_head_of
from loans.domain import bucket_for
from loans.models import Borrower, Loan, LoanStatus
from loans.selectors import borrowers_visible_to

# The flow of a case. Closing is further limited: not while money is still overdue,
# unless the case is in court and the court case is closed (settled).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Stage.REMINDER: frozenset({Stage.INTENSIVE, Stage.ESCALATED, Stage.CLOSED}),
    Stage.INTENSIVE: frozenset({Stage.REMINDER, Stage.ESCALATED, Stage.LEGAL, Stage.CLOSED}),
    Stage.ESCALATED: frozenset({Stage.INTENSIVE, Stage.LEGAL, Stage.CLOSED}),
    Stage.LEGAL: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}
# The daily job moves a reminder case to intensive collection after this many days.
INTENSIVE_AFTER_DAYS = 30
# Opening and syncing cases, one writer at a time (core.locks).
CASES_LOCK = "loan_collections.cases"


def can_act_on_case(user, case: CollectionCase) -> bool:
    return (
        user.pk in (case.officer_id, case.co_owner_id)
        or has_role(user, Role.ADMIN)
        or (has_role(user, Role.BRANCH_HEAD) and case.branch_id in visible_branch_ids(user))
    )


def _borrower_figures(borrower_ids) -> dict[int, dict]:
    rows = (
        Loan.objects.filter(borrower_id__in=borrower_ids, status=LoanStatus.ACTIVE, days_past_due__gt=0)
        .values("borrower_id")
        .annotate(
            overdue=Sum(F("overdue_principal") + F("overdue_interest")),
            dpd=Max("days_past_due"),
        )
    )
    return {row["borrower_id"]: row for row in rows}


@transaction.atomic
def case_open(*, borrower: Borrower, by, as_of: dt.date, reason: str = "") -> CollectionCase:
    """Open a case by hand (e.g. an at-risk borrower not yet overdue)."""
    advisory_xact_lock(namespace=CASES_LOCK)
    if not borrowers_visible_to(by).filter(pk=borrower.pk).exists():
        raise ValidationError(_("You can open cases only for your own borrowers."))
    if CollectionCase.objects.filter(borrower=borrower, stage__in=OPEN_STAGES).exists():
        raise ValidationError(_("This borrower already has an open collection case."))
    figures = _borrower_figures([borrower.pk]).get(borrower.pk, {})
    dpd = figures.get("dpd") or 0
    case = CollectionCase.objects.create(
        borrower=borrower,
        branch_id=borrower.branch_id,
        officer_id=borrower.officer_id,
        stage=Stage.REMINDER,
        opened_on=as_of,
        overdue_amount=figures.get("overdue") or ZERO,
        days_past_due=dpd,
        bucket=bucket_for(dpd),
        figures_as_of=as_of,
    )
    StageChange.objects.create(
        case=case,
        from_stage="",
        to_stage=Stage.REMINDER,
        changed_by=by,
        reason=reason or _("Opened by hand."),
    )
    return case


@transaction.atomic
def case_move(*, case: CollectionCase, to_stage: str, by, reason: str) -> CollectionCase:
    """Move a case along reminder → intensive → escalated (钉子户) → legal → closed."""
    case = CollectionCase.objects.select_for_update().get(pk=case.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case moves.")})
    if not can_act_on_case(by, case):
        raise ValidationError(_("Only the assigned officer or the branch head can move this case."))
    if to_stage not in ALLOWED_MOVES.get(case.stage, ()):
        raise ValidationError(
            _("A case cannot move from %(from)s to %(to)s.")
            % {"from": Stage(case.stage).label, "to": Stage(to_stage).label}
        )
    if to_stage == Stage.CLOSED and borrower_has_overdue(borrower_id=case.borrower_id):
        settled = case.stage == Stage.LEGAL and case.legal_actions.filter(stage=LegalStage.CLOSED).exists()
        if not settled:
            raise ValidationError(
                _(
                    "The borrower still has money overdue: the case cannot be closed until every loan is current or the court case is closed."
                )
            )
    if to_stage == Stage.ESCALATED:
        head = branch_head_of(case.branch_id)
        if head is None:
            raise ValidationError(_("This branch has no branch head to join the case."))
        case.co_owner = head
    StageChange.objects.create(
        case=case, from_stage=case.stage, to_stage=to_stage, changed_by=by, reason=reason
    )
    case.stage = to_stage
    case.closed_on = timezone.localdate() if to_stage == Stage.CLOSED else None
    case.save(update_fields=["stage", "co_owner", "closed_on"])
    return case


@transaction.atomic
def cases_sync(*, as_of: dt.date, borrower_ids=None) -> dict[str, int]:
    """Open, update and close cases from the ledger (the daily 07:00 job, the ledger-change
    hook, ``open_collection_cases``). A borrower with an active loan past due gets a case
    (officer: the borrower's officer); an open case gets the current overdue amount, days
    and bucket, and moves from reminder to intensive after 30 days; a case whose borrower
    is all current is closed, unless a loan of the borrower was written off (账销案存: the
    case stays open, the debt is still pursued). Idempotent; a constant number of queries
    plus bulk writes. Runs one at a time (with ``case_open``): a second run waits, then finds the cases."""
    advisory_xact_lock(namespace=CASES_LOCK)
    overdue = Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due__gt=0)
    open_cases = CollectionCase.objects.filter(stage__in=OPEN_STAGES).select_for_update()
    if borrower_ids is not None:
        borrower_ids = list(borrower_ids)
        overdue = overdue.filter(borrower_id__in=borrower_ids)
        open_cases = open_cases.filter(borrower_id__in=borrower_ids)
    figures = {
        row["borrower_id"]: row
        for row in overdue.values("borrower_id").annotate(
            overdue=Sum(F("overdue_principal") + F("overdue_interest")),
            dpd=Max("days_past_due"),
            officer_id=Min("borrower__officer_id"),
            branch_id=Min("borrower__branch_id"),
        )
    }
    existing = {case.borrower_id: case for case in open_cases}
    # 账销案存: a written-off loan is off the books but the debt is still pursued, so its
    # borrower's case is not closed by the ledger (the head closes it by hand when pursuit ends).
    pursued = set(
        Loan.objects.filter(borrower_id__in=list(existing), status=LoanStatus.WRITTEN_OFF).values_list(
            "borrower_id", flat=True
        )
    )
    changes: list[StageChange] = []
    new_cases = []
    for borrower_id, row in figures.items():
        if borrower_id in existing:
            continue
        new_cases.append(
            CollectionCase(
                borrower_id=borrower_id,
                branch_id=row["branch_id"],
                officer_id=row["officer_id"],
                stage=Stage.INTENSIVE if row["dpd"] > INTENSIVE_AFTER_DAYS else Stage.REMINDER,
                opened_on=as_of,
                overdue_amount=row["overdue"] or ZERO,
                days_past_due=row["dpd"],
                bucket=bucket_for(row["dpd"]),
                figures_as_of=as_of,
            )
        )
    CollectionCase.objects.bulk_create(new_cases, batch_size=2000)
    for case in new_cases:
        changes.append(
            StageChange(
                case=case,
                from_stage="",
                to_stage=case.stage,
                reason=_("Opened by the daily job: %(days)s days past due.") % {"days": case.days_past_due},
            )
        )
    updated, promoted, closed = [], 0, 0
    for borrower_id, case in existing.items():
        row = figures.get(borrower_id)
        if row is None and borrower_id in pursued:
            pass  # kept open with the figures it had when the loan was written off
        elif row is None:
            changes.append(
                StageChange(
                    case=case,
                    from_stage=case.stage,
                    to_stage=Stage.CLOSED,
                    reason=_("All loans are current."),
                )
            )
            case.stage, case.closed_on = Stage.CLOSED, as_of
            case.overdue_amount, case.days_past_due, case.bucket = ZERO, 0, bucket_for(0)
            closed += 1
        else:
            case.officer_id = row["officer_id"]  # the case follows the borrower's officer
            case.overdue_amount = row["overdue"] or ZERO
            case.days_past_due = row["dpd"]
            case.bucket = bucket_for(row["dpd"])
            if case.stage == Stage.REMINDER and row["dpd"] > INTENSIVE_AFTER_DAYS:
                changes.append(
                    StageChange(
                        case=case,
                        from_stage=case.stage,
                        to_stage=Stage.INTENSIVE,
                        reason=_("More than %(days)s days past due.") % {"days": INTENSIVE_AFTER_DAYS},
                    )
                )
                case.stage = Stage.INTENSIVE
                promoted += 1
        case.figures_as_of = as_of
        updated.append(case)
    CollectionCase.objects.bulk_update(
        updated,
        ["stage", "closed_on", "officer", "overdue_amount", "days_past_due", "bucket", "figures_as_of"],
        batch_size=2000,
    )
    StageChange.objects.bulk_create(changes, batch_size=2000)
    return {
        "opened": len(new_cases),
        "updated": len(updated) - closed,
        "intensive": promoted,
        "closed": closed,
    }


def cases_on_ledger_changed(*, loan_ids, as_of: dt.date) -> dict[str, int]:
    """LEDGER_CHANGE_HANDLERS hook: resync the cases of the borrowers of these loans."""
    borrower_ids = set(Loan.objects.filter(pk__in=list(loan_ids)).values_list("borrower_id", flat=True))
    return cases_sync(as_of=as_of, borrower_ids=borrower_ids)
