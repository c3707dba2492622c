"""Writes for collection. Views, the API, commands and tasks all call these functions."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, has_role, profile_of, visible_branch_ids
from accounts.models import Role
from compliance.models import ViolationSource
from compliance.services import violation_raise
from loan_collections.contact_policy import SHANGHAI, contact_window
from loan_collections.models import (
    OPEN_STAGES,
    TIMED_CHANNELS,
    CollectionCase,
    CollectionPlan,
    CollectionSettings,
    ContactAttempt,
    FollowUpTask,
    LegalAction,
    LegalStage,
    Outcome,
    OverdueCause,
    OverdueCauseKind,
    PlanMeasure,
    PromiseStatus,
    PromiseToPay,
    Stage,
    StageChange,
)
from loan_collections.selectors import (
    balance_at_year_start,
    borrower_has_overdue,
    borrower_overdue_and_balance,
    branch_head_of,
    calls_in_week,
    contact_check,
    rules_for_branch,
)
from loans.domain import bucket_for
from loans.models import Borrower, Loan, LoanStatus, Repayment

ZERO = Decimal("0.00")

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
# A contact logged "now" may be a few minutes ahead of the server clock.
CLOCK_SLACK = dt.timedelta(minutes=5)


def _can_act_on_case(user, case: CollectionCase) -> bool:
    return (
        user.pk in (case.officer_id, case.co_owner_id)
        or has_role(user, Role.ADMIN)
        or (has_role(user, Role.BRANCH_HEAD) and case.branch_id in visible_branch_ids(user))
    )


# --- Settings --------------------------------------------------------------------------


@transaction.atomic
def collection_settings_save(*, branch, by, **fields) -> CollectionSettings:
    """The branch head sets the humane-timing rules of their branch."""
    if not has_role(by, *APPROVER_ROLES):
        raise ValidationError(_("Only the branch head can change the collection rules."))
    settings, _created = CollectionSettings.objects.get_or_create(branch=branch)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.updated_by = by
    if settings.earliest_time >= settings.latest_time:
        raise ValidationError(_("The evening limit must be later than the morning start."))
    settings.full_clean()
    settings.save()
    return settings


# --- Cases -----------------------------------------------------------------------------


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
    from loans.selectors import borrowers_visible_to

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
    if not _can_act_on_case(by, case):
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
    is all current is closed. Idempotent; a constant number of queries plus bulk writes."""
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
        if row is None:
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


# --- Contact log and promises ---------------------------------------------------------


@transaction.atomic
def contact_log(
    *,
    case: CollectionCase,
    by,
    contacted_at: dt.datetime,
    channel: str,
    party: str,
    outcome: str,
    notes: str = "",
    next_step: str = "",
    next_step_on: dt.date | None = None,
    promise_amount: Decimal | None = None,
    promise_date: dt.date | None = None,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> ContactAttempt:
    """Log a contact. A call or visit at a time the branch's rules forbid is refused, with
    the reason and the next allowed time, unless the branch head overrides it with a reason
    (kept on the record). A promise needs a date not in the past and an amount above zero
    and at most what the borrower owes."""
    now = now or timezone.now()
    override_reason = (override_reason or "").strip()
    errors: dict[str, list[str]] = defaultdict(list)
    if not case.is_open:
        raise ValidationError(_("This case is closed."))
    if not _can_act_on_case(by, case):
        raise ValidationError(
            _("Only the assigned officer or the branch head can log contacts on this case.")
        )
    if contacted_at.tzinfo is None:
        contacted_at = contacted_at.replace(tzinfo=SHANGHAI)
    if contacted_at > now + CLOCK_SLACK:
        errors["contacted_at"].append(_("A contact cannot be logged in the future."))
    if outcome == Outcome.PROMISE:
        if promise_amount is None:
            errors["promise_amount"].append(_("A promise needs the promised amount."))
        if promise_date is None:
            errors["promise_date"].append(_("A promise needs the promised date."))
    elif promise_amount is not None or promise_date is not None:
        errors["outcome"].append(_("Choose the outcome “promise to pay” to record a promise."))
    if promise_date is not None and promise_date < now.astimezone(SHANGHAI).date():
        errors["promise_date"].append(_("The promised date is in the past."))
    if promise_amount is not None:
        if promise_amount <= 0:
            errors["promise_amount"].append(_("The promised amount must be more than zero."))
        else:
            _overdue, most = borrower_overdue_and_balance(borrower_id=case.borrower_id)
            if promise_amount > most:
                errors["promise_amount"].append(
                    _(
                        "The promised amount is more than the borrower owes (overdue plus remaining balance: %(most)s yuan)."
                    )
                    % {"most": most}
                )
    policy_reason, overridden_by = "", None
    if channel in TIMED_CHANNELS:
        verdict = contact_check(
            branch_id=case.branch_id, at=contacted_at, borrower_id=case.borrower_id, channel=channel
        )
        if not verdict.allowed:
            if not override_reason:
                errors["contacted_at"].append(
                    _("%(reason)s Next allowed: %(next)s.")
                    % {"reason": verdict.reason, "next": verdict.next_allowed.strftime("%Y-%m-%d %H:%M")}
                )
            elif not has_role(by, *APPROVER_ROLES):
                errors["override_reason"].append(_("Only the branch head can override the timing rules."))
            else:
                policy_reason, overridden_by = verdict.reason, by
    if errors:
        raise ValidationError(dict(errors))
    contact = ContactAttempt.objects.create(
        case=case,
        officer=by,
        contacted_at=contacted_at,
        channel=channel,
        party=party,
        outcome=outcome,
        notes=notes,
        next_step=next_step,
        next_step_on=next_step_on,
        policy_reason=policy_reason,
        override_reason=override_reason if overridden_by else "",
        overridden_by=overridden_by,
    )
    if outcome == Outcome.PROMISE:
        PromiseToPay.objects.create(
            contact=contact,
            case=case,
            officer_id=case.officer_id,
            amount=promise_amount,
            promised_on=contacted_at.astimezone(SHANGHAI).date(),
            due_on=promise_date,
        )
    if next_step or next_step_on:
        case.next_action = next_step[:200]
        case.next_action_on = next_step_on or promise_date
        case.save(update_fields=["next_action", "next_action_on"])
    elif promise_date:
        case.next_action_on = promise_date
        case.save(update_fields=["next_action_on"])
    return contact


PROMISE_CHECK_TIME = dt.time(16, 0)


@transaction.atomic
def promises_check(*, at: dt.datetime) -> dict[str, int]:
    """At 16:00 on the promised date, check the repayment records (repayments on the
    borrower's loans from the day of the promise to the promised date): kept in full,
    partial, or broken. A broken or partial promise gets a "call again" task at the next
    moment the timing rules allow, and the officer one email listing them. Promises due
    earlier and still pending (a missed run) are checked too. Idempotent."""
    local = at.astimezone(SHANGHAI)
    day = local.date()
    last_due = day if local.time() >= PROMISE_CHECK_TIME else day - dt.timedelta(days=1)
    promises = list(
        PromiseToPay.objects.select_for_update(of=("self",))
        .filter(status=PromiseStatus.PENDING, due_on__lte=last_due)
        .select_related("case__borrower", "case__branch", "officer")
    )
    if not promises:
        return {"checked": 0, "kept": 0, "partial": 0, "broken": 0, "emails": 0}
    borrower_ids = {promise.case.borrower_id for promise in promises}
    earliest = min(promise.promised_on for promise in promises)
    payments: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for borrower_id, paid_on, amount in Repayment.objects.filter(
        loan__borrower_id__in=borrower_ids, paid_on__gte=earliest, paid_on__lte=last_due
    ).values_list("loan__borrower_id", "paid_on", F("principal") + F("interest")):
        payments[borrower_id].append((paid_on, amount))
    counts = {"checked": 0, "kept": 0, "partial": 0, "broken": 0}
    missed_by_officer: dict[int, list[PromiseToPay]] = defaultdict(list)
    tasks = []
    for promise in promises:
        paid = sum(
            (
                amount
                for paid_on, amount in payments[promise.case.borrower_id]
                if promise.promised_on <= paid_on <= promise.due_on
            ),
            ZERO,
        )
        promise.paid_amount = paid
        promise.checked_at = at
        if paid >= promise.amount:
            promise.status = PromiseStatus.KEPT
        elif paid > 0:
            promise.status = PromiseStatus.PARTIAL
        else:
            promise.status = PromiseStatus.BROKEN
        counts["checked"] += 1
        counts[promise.status] += 1
        if promise.status != PromiseStatus.KEPT:
            calls = calls_in_week(borrower_id=promise.case.borrower_id, at=local)
            verdict = contact_window(
                max(local, _check_moment(promise.due_on)),
                rules_for_branch(promise.case.branch_id),
                calls_this_week=calls,
            )
            promise.next_call_at = verdict.next_allowed
            tasks.append(
                FollowUpTask(
                    case=promise.case,
                    officer_id=promise.officer_id,
                    promise=promise,
                    due_at=verdict.next_allowed,
                    title=_("Call again: promise of %(amount)s yuan by %(date)s not kept")
                    % {"amount": promise.amount, "date": promise.due_on},
                )
            )
            missed_by_officer[promise.officer_id].append(promise)
    PromiseToPay.objects.bulk_update(promises, ["status", "paid_amount", "checked_at"])
    FollowUpTask.objects.bulk_create(tasks, ignore_conflicts=True)
    emails = _promise_emails(day=day, missed_by_officer=missed_by_officer)
    counts["emails"] = emails
    return counts


def _check_moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, PROMISE_CHECK_TIME, tzinfo=SHANGHAI)


def _promise_emails(*, day: dt.date, missed_by_officer: dict[int, list[PromiseToPay]]) -> int:
    from accounts.masking import mask_phone
    from notifications.services import email_enqueue_many, email_queue

    created_ids = []
    for promises in missed_by_officer.values():
        officer = promises[0].officer
        rows = [
            {
                "borrower": promise.case.borrower.name,
                "phone": mask_phone(promise.case.borrower.phone),
                "amount": promise.amount,
                "paid": promise.paid_amount,
                "due_on": promise.due_on,
                "status": PromiseStatus(promise.status).label,
                "next_call_at": promise.next_call_at,
            }
            for promise in promises
        ]
        profile = profile_of(officer)
        email, created = email_queue(
            kind="promise_broken",
            key_date=day,
            recipient=officer,
            template="loan_collections/emails/promise_broken",
            context={
                "name": profile.full_name if profile else officer.get_username(),
                "day": day,
                "rows": rows,
            },
            enqueue=False,
        )
        if created:
            created_ids.append(email.pk)
    email_enqueue_many(email_ids=created_ids)
    return len(created_ids)


@transaction.atomic
def follow_up_done(*, task: FollowUpTask, by) -> FollowUpTask:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
    return task


# --- Plans ------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, case: CollectionCase, by, year: int, strategy: str = "", target_amount: Decimal | None = None
) -> CollectionPlan:
    """一户一策: the borrower's plan for ``year``. The base is the balance at the start of the
    year; the target defaults to the whole base and may be set lower, never above it."""
    if not _can_act_on_case(by, case):
        raise ValidationError(_("Only the assigned officer or the branch head can plan this case."))
    if CollectionPlan.objects.filter(borrower_id=case.borrower_id, year=year).exists():
        raise ValidationError(_("This borrower already has a plan for %(year)s.") % {"year": year})
    base = balance_at_year_start(borrower_ids=[case.borrower_id], year=year)[case.borrower_id]
    if target_amount is None:
        target_amount = base
    if target_amount < 0:
        raise ValidationError({"target_amount": _("The target cannot be negative.")})
    if target_amount > base:
        raise ValidationError(
            {
                "target_amount": _(
                    "The target cannot exceed the balance at the start of the year (%(base)s yuan)."
                )
                % {"base": base}
            }
        )
    return CollectionPlan.objects.create(
        borrower_id=case.borrower_id,
        case=case,
        branch_id=case.branch_id,
        officer_id=case.officer_id,
        year=year,
        balance_at_year_start=base,
        target_amount=target_amount,
        strategy=strategy,
        created_by=by,
    )


@transaction.atomic
def plan_measure_add(
    *, plan: CollectionPlan, by, kind: str, owner, target_date: dt.date, note: str = ""
) -> PlanMeasure:
    """一户多策: one more measure, owned by a member of the plan's branch."""
    owner_profile = profile_of(owner)
    if owner_profile is None or owner_profile.branch_id != plan.branch_id:
        raise ValidationError({"owner": _("The owner must work at the borrower's branch.")})
    measure = PlanMeasure(plan=plan, kind=kind, owner=owner, target_date=target_date, note=note)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def plan_measure_done(*, measure: PlanMeasure, by, on: dt.date) -> PlanMeasure:
    if measure.done_on is None:
        measure.done_on = on
        measure.save(update_fields=["done_on"])
    return measure


# --- Legal action ---------------------------------------------------------------------

_LEGAL_ORDER = [LegalStage.FILED, LegalStage.JUDGED, LegalStage.ENFORCEMENT, LegalStage.CLOSED]


@transaction.atomic
def legal_action_record(
    *,
    case: CollectionCase,
    by,
    filed_on: dt.date,
    court: str,
    court_case_no: str,
    claim_amount: Decimal,
    documents=None,
) -> LegalAction:
    if case.stage != Stage.LEGAL:
        raise ValidationError(_("Move the case to legal action before recording a lawsuit."))
    if claim_amount is None or claim_amount <= 0:
        raise ValidationError({"claim_amount": _("The claim must be more than zero.")})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("The filing date cannot be in the future.")})
    action = LegalAction(
        case=case,
        filed_on=filed_on,
        court=court,
        court_case_no=court_case_no,
        claim_amount=claim_amount,
        recorded_by=by,
    )
    if documents:
        action.documents = documents
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def legal_action_update(
    *,
    action: LegalAction,
    by,
    stage: str,
    outcome: str = "",
    recovered_amount: Decimal = ZERO,
    documents=None,
) -> LegalAction:
    """Court stages only go forward: filed → judged → enforcement → closed."""
    if _LEGAL_ORDER.index(stage) < _LEGAL_ORDER.index(action.stage):
        raise ValidationError({"stage": _("A court case cannot go back to an earlier stage.")})
    if recovered_amount is None or recovered_amount < 0:
        raise ValidationError({"recovered_amount": _("The recovered amount cannot be negative.")})
    action.stage, action.outcome, action.recovered_amount = stage, outcome, recovered_amount
    if documents:
        action.documents = documents
    action.recorded_by = by
    action.full_clean()
    action.save()
    return action


# --- Accountability -------------------------------------------------------------------

# The city branch's rule for an overdue loan caused by the officer (市分行贷后管理问责规定).
OFFICER_CAUSED_RULE = "客户经理工作原因造成贷款逾期"


@transaction.atomic
def overdue_cause_record(*, loan: Loan, by, cause: str, note: str, on: dt.date) -> OverdueCause:
    """Why the loan became overdue. The officer's own failing (客户经理工作原因) raises a
    penalty record (pending approval) in the officer's compliance record."""
    if loan.days_past_due <= 0:
        raise ValidationError(_("This loan is not overdue."))
    if OverdueCause.objects.filter(loan=loan).exists():
        raise ValidationError(_("The cause of this overdue loan is already recorded."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Explain the cause.")})
    record = OverdueCause.objects.create(
        loan=loan, cause=cause, note=note.strip(), recorded_by=by, recorded_on=on
    )
    if cause == OverdueCauseKind.OFFICER_FAILING:
        violation_raise(
            staff=loan.officer,
            occurred_on=on,
            rule=OFFICER_CAUSED_RULE,
            source=ViolationSource.OFFICER_CAUSED_OVERDUE,
            description=f"{loan.loan_no}: {note.strip()}",
            source_object=loan,
            recorded_by=by,
        )
    return record
