"""Writes of the required actions: generation from templates, completion, review,
waiver, reassignment, late marking with its penalty, and the reminder digests."""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, profile_of, role_of, visible_branch_ids
from accounts.models import Role, StaffProfile
from compliance.models import PenaltyKind, ViolationSource
from compliance.services import violation_raise
from loans.domain import RiskClass
from loans.models import Collateral, Loan, LoanStatus
from notifications.services import email_enqueue_many, email_queue
from post_loan.domain import HORIZON_DAYS, LOOKBACK_DAYS, scheduled_dates
from post_loan.models import (
    OPEN_STATUSES,
    SCHEDULED_TRIGGERS,
    ActionEvidence,
    ActionStatus,
    ActionTemplate,
    LoanClassSnapshot,
    RecordField,
    RequiredAction,
    ResponsibilityChange,
    ReviewStatus,
    Trigger,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# Evidence files: scans, photos and office documents.
EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".doc", ".docx", ".xls", ".xlsx", ".txt"}
)
# Points deducted in the monthly scorecard for each late action (pending the head's approval).
LATE_ACTION_SCORE_DEDUCTION = Decimal("1.0")
# Days an officer gets to redo an action the branch head returned.
REDO_DAYS = 7


# --- Generation ---------------------------------------------------------------------------


def _template_applies(template: ActionTemplate, *, borrower_type: str, product: str, guarantee: str) -> bool:
    return (
        (not template.borrower_type or template.borrower_type == borrower_type)
        and (not template.products or product in template.products)
        and (not template.guarantees or guarantee in template.guarantees)
    )


def required_actions_generate(
    *, as_of: dt.date, loan_ids: Iterable[int] | None = None, earliest: dt.date | None = None
) -> int:
    """Create the required actions due for active loans; returns how many were created.

    Scheduled templates (after disbursement, periodic, before maturity, collateral
    re-appraisal) create the occurrences due from ``earliest`` (default: the later of 30
    days ago and the day the loan entered this system, so an imported loan is not charged
    with checks due before we knew it) to 31 days ahead. Event templates create one action
    per overdue episode (due N days after the loan first fell overdue) and one when the
    five-tier class is worse than when last seen. The unique key (loan, template, due date)
    makes every run after the first a no-op for the same data.
    """
    # Stored texts (the reason of an action) are in the site's language, whoever runs the job.
    with translation.override(settings.LANGUAGE_CODE):
        return _generate(as_of=as_of, loan_ids=loan_ids, earliest=earliest)


def _generate(*, as_of: dt.date, loan_ids: Iterable[int] | None, earliest: dt.date | None) -> int:
    loan_ids = list(loan_ids) if loan_ids is not None else None
    templates = list(ActionTemplate.objects.filter(is_active=True))
    scheduled = [t for t in templates if t.trigger in SCHEDULED_TRIGGERS]
    on_overdue = [t for t in templates if t.trigger == Trigger.ON_OVERDUE]
    on_worse = [t for t in templates if t.trigger == Trigger.ON_CLASS_WORSENED]
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE)
    if loan_ids is not None:
        loans = loans.filter(id__in=loan_ids)
    appraisals = {}
    if any(t.trigger == Trigger.COLLATERAL_REAPPRAISAL for t in scheduled):
        collateral = Collateral.objects.filter(loan__status=LoanStatus.ACTIVE)
        if loan_ids is not None:
            collateral = collateral.filter(loan_id__in=loan_ids)
        appraisals = dict(
            collateral.values("loan_id").annotate(last=Max("appraised_on")).values_list("loan_id", "last")
        )
    rows = loans.values_list(
        "id",
        "branch_id",
        "officer_id",
        "borrower__borrower_type",
        "product",
        "guarantee",
        "disbursed_on",
        "matures_on",
        "created_at",
        "days_past_due",
        "as_of",
        "risk_class",
    )
    # Loans whose class is worse than when we last looked (few): one query, no per-loan work.
    worsened = (
        dict(
            LoanClassSnapshot.objects.filter(
                loan__in=loans, loan__risk_class__gt=F("risk_class")
            ).values_list("loan_id", "risk_class")
        )
        if on_worse
        else {}
    )
    end = as_of + dt.timedelta(days=HORIZON_DAYS)
    # Keys that exist already are skipped before building model instances: a daily run then
    # builds only the few new actions (the unique constraint still settles any race).
    existing_actions = RequiredAction.objects.filter(
        loan__isnull=False, due_on__gte=earliest or as_of - dt.timedelta(days=LOOKBACK_DAYS)
    )
    if loan_ids is not None:
        existing_actions = existing_actions.filter(loan_id__in=loan_ids)
    existing = set(
        existing_actions.values_list("loan_id", "template_id", "due_on").iterator(chunk_size=BATCH_SIZE)
    )
    before = RequiredAction.objects.count()
    pending: list[RequiredAction] = []

    def flush():
        RequiredAction.objects.bulk_create(pending, batch_size=BATCH_SIZE, ignore_conflicts=True)
        pending.clear()

    for (
        loan_id,
        branch_id,
        officer_id,
        borrower_type,
        product,
        guarantee,
        disbursed_on,
        matures_on,
        created_at,
        days_past_due,
        loan_as_of,
        risk_class,
    ) in rows.iterator(chunk_size=BATCH_SIZE):
        appraised_on = appraisals.get(loan_id)
        created_on = timezone.localdate(created_at)
        start = earliest or max(created_on, as_of - dt.timedelta(days=LOOKBACK_DAYS))

        def add(template, due_on, reason="", loan_id=loan_id, branch_id=branch_id, officer_id=officer_id):
            if (loan_id, template.pk, due_on) in existing:
                return
            pending.append(
                RequiredAction(
                    template=template,
                    loan_id=loan_id,
                    branch_id=branch_id,
                    responsible_id=officer_id,
                    due_on=due_on,
                    reason=reason,
                )
            )

        for template in scheduled:
            if template.trigger == Trigger.COLLATERAL_REAPPRAISAL and appraised_on is None:
                continue
            if not _template_applies(
                template, borrower_type=borrower_type, product=product, guarantee=guarantee
            ):
                continue
            for due_on in scheduled_dates(
                trigger=template.trigger,
                offset_days=template.offset_days,
                interval_months=template.interval_months,
                disbursed_on=disbursed_on,
                matures_on=matures_on,
                appraised_on=appraised_on,
                start=start,
                end=end,
            ):
                add(template, due_on)
        if days_past_due > 0:
            # The first overdue day is fixed for the whole episode, so the due date is too.
            overdue_since = (loan_as_of or as_of) - dt.timedelta(days=days_past_due - 1)
            for template in on_overdue:
                if not _template_applies(
                    template, borrower_type=borrower_type, product=product, guarantee=guarantee
                ):
                    continue
                anchor = overdue_since if earliest else max(overdue_since, created_on)
                due_on = anchor + dt.timedelta(days=template.offset_days)
                if start <= due_on or earliest:
                    add(template, due_on, _("Overdue since %(day)s") % {"day": overdue_since.isoformat()})
        if on_worse:
            previous = worsened.get(loan_id)
            if previous is not None:
                for template in on_worse:
                    if _template_applies(
                        template, borrower_type=borrower_type, product=product, guarantee=guarantee
                    ):
                        add(
                            template,
                            as_of + dt.timedelta(days=template.offset_days),
                            _("Class worsened from %(old)s to %(new)s")
                            % {"old": RiskClass(previous).label, "new": RiskClass(risk_class).label},
                        )
        if len(pending) >= BATCH_SIZE:
            flush()
    flush()
    if on_worse:
        _class_snapshots_refresh(loans=loans, as_of=as_of)
    return RequiredAction.objects.count() - before


def _class_snapshots_refresh(*, loans, as_of: dt.date) -> None:
    """Remember each loan's current class, in one INSERT ... SELECT ... ON CONFLICT."""
    select_sql, params = loans.values_list("id", "risk_class").query.sql_with_params()
    table = LoanClassSnapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (loan_id, risk_class, seen_on) "  # noqa: S608 - table name from the model
            f"SELECT ids.id, ids.risk_class, %s FROM ({select_sql}) AS ids "
            f"ON CONFLICT (loan_id) DO UPDATE SET risk_class = EXCLUDED.risk_class, seen_on = EXCLUDED.seen_on "
            f"WHERE {table}.risk_class <> EXCLUDED.risk_class",
            [as_of, *params],
        )


def required_actions_on_ledger_changed(*, loan_ids: list[int], as_of: dt.date) -> None:
    """LEDGER_CHANGE_HANDLERS entry: imported or changed loans get their actions at once."""
    required_actions_generate(as_of=as_of, loan_ids=loan_ids)


def _validate_due_date(*, loan: Loan | None, due_on: dt.date) -> None:
    if loan is not None and due_on < loan.disbursed_on:
        raise ValidationError(
            {
                "due_on": _("The due date %(due)s is before the loan was disbursed on %(disbursed)s.")
                % {"due": due_on.isoformat(), "disbursed": loan.disbursed_on.isoformat()}
            }
        )


@transaction.atomic
def required_action_create(
    *,
    template: ActionTemplate,
    due_on: dt.date,
    loan: Loan | None = None,
    subject: str = "",
    branch=None,
    responsible=None,
    reason: str = "",
) -> tuple[RequiredAction, bool]:
    """Create one action by hand or for an event (a signal, a flagged project).

    The same loan, template and due date give back the existing action (created False).
    """
    _validate_due_date(loan=loan, due_on=due_on)
    if loan is None and not subject.strip():
        raise ValidationError(_("An action without a loan needs a subject."))
    if loan is not None:
        existing = RequiredAction.objects.filter(loan=loan, template=template, due_on=due_on).first()
        if existing is not None:
            return existing, False
    responsible = responsible or (loan.officer if loan is not None else None)
    if responsible is None:
        raise ValidationError(_("Name the first responsible person."))
    action = RequiredAction(
        template=template,
        loan=loan,
        subject=subject.strip(),
        branch=branch or loan.branch,
        responsible=responsible,
        due_on=due_on,
        reason=reason,
    )
    action.full_clean(validate_unique=False)
    action.save()
    return action, True


# --- Late marking and penalties --------------------------------------------------------------


def _overdue_filter(as_of: dt.date) -> Q:
    return Q(redo_by__isnull=True, due_on__lt=as_of) | Q(redo_by__lt=as_of)


def required_actions_mark_late(*, as_of: dt.date) -> int:
    """Mark pending actions past their due date late and raise a penalty (问题处罚) for the
    first responsible person, pending the branch head's approval. Safe to run twice: only
    pending actions change, and a penalty is raised once per action and person."""
    ids = list(
        RequiredAction.objects.filter(status=ActionStatus.PENDING)
        .filter(_overdue_filter(as_of))
        .values_list("id", flat=True)
    )
    marked = 0
    for action_id in ids:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            action = (
                RequiredAction.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("template", "loan", "responsible")
                .filter(pk=action_id, status=ActionStatus.PENDING)
                .first()
            )
            if action is None:
                continue
            action.status = ActionStatus.LATE
            action.save(update_fields=["status"])
            marked += 1
            if profile_of(action.responsible) is None:
                logger.warning(
                    "late action %s: responsible user %s has no staff profile",
                    action.pk,
                    action.responsible_id,
                )
                continue
            violation_raise(
                staff=action.responsible,
                occurred_on=action.effective_due_on + dt.timedelta(days=1),
                rule=_("Required action not done by its due date: %(name)s") % {"name": action.template.name},
                description=_("%(subject)s, due %(due)s")
                % {"subject": action.loan or action.subject, "due": action.effective_due_on.isoformat()},
                source=ViolationSource.MISSED_ACTION,
                penalty_kind=PenaltyKind.SCORE_DEDUCTION,
                score_deduction=LATE_ACTION_SCORE_DEDUCTION,
                source_object=action,
            )
    return marked


# --- Completion, review, waiver, reassignment ------------------------------------------------


def is_head_for(user, action: RequiredAction) -> bool:
    return role_of(user) in APPROVER_ROLES and action.branch_id in visible_branch_ids(user)


def validate_evidence_file(upload: UploadedFile) -> None:
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                "files": _("%(name)s: only these file types are accepted: %(types)s.")
                % {"name": upload.name, "types": ", ".join(sorted(EVIDENCE_EXTENSIONS))}
            }
        )
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            {
                "files": _("%(name)s is larger than the %(limit)s MB allowed.")
                % {"name": upload.name, "limit": settings.MAX_UPLOAD_SIZE // (1024 * 1024)}
            }
        )


TEXT_RECORD_FIELDS = {
    RecordField.FINDINGS: "findings",
    RecordField.CASH_FLOW: "cash_flow_notes",
    RecordField.OPERATIONS: "operations_notes",
    RecordField.ENVIRONMENT: "environment_notes",
    RecordField.MARKET: "market_notes",
}
YES_NO_RECORD_FIELDS = {RecordField.SITE_VISIT: "site_visit", RecordField.COLLATERAL_SEEN: "collateral_seen"}


@transaction.atomic
def required_action_complete(
    *,
    action: RequiredAction,
    user,
    completed_on: dt.date,
    findings: str = "",
    site_visit: bool | None = None,
    collateral_seen: bool | None = None,
    cash_flow_notes: str = "",
    operations_notes: str = "",
    environment_notes: str = "",
    market_notes: str = "",
    files: list[UploadedFile] | None = None,
) -> RequiredAction:
    """Record the completion of an action by its first responsible person (or the branch
    head). Every field the template requires must be filled; nothing is saved otherwise."""
    action = (
        RequiredAction.objects.select_for_update(of=("self",)).select_related("template").get(pk=action.pk)
    )
    if user.pk != action.responsible_id and not is_head_for(user, action):
        raise ValidationError(
            _("This action is assigned to another person; only they or the branch head can complete it.")
        )
    if action.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This action is already %(status)s.") % {"status": action.get_status_display()}
        )
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    if action.loan_id and completed_on < action.loan.disbursed_on:
        raise ValidationError({"completed_on": _("The completion date is before the loan was disbursed.")})
    files = list(files or [])
    values = {
        "findings": findings.strip(),
        "cash_flow_notes": cash_flow_notes.strip(),
        "operations_notes": operations_notes.strip(),
        "environment_notes": environment_notes.strip(),
        "market_notes": market_notes.strip(),
        "site_visit": site_visit,
        "collateral_seen": collateral_seen,
    }
    errors = {}
    for required in action.template.required_fields:
        if required in TEXT_RECORD_FIELDS and not values[TEXT_RECORD_FIELDS[required]]:
            errors[TEXT_RECORD_FIELDS[required]] = _("This action's template requires this field.")
        elif required in YES_NO_RECORD_FIELDS and values[YES_NO_RECORD_FIELDS[required]] is None:
            errors[YES_NO_RECORD_FIELDS[required]] = _("This action's template requires an answer here.")
        elif required == RecordField.ATTACHMENTS and not files and not action.evidence.exists():
            errors["files"] = _("This action's template requires at least one evidence file.")
    if errors:
        raise ValidationError(errors)
    for upload in files:
        validate_evidence_file(upload)
    for name, value in values.items():
        setattr(action, name, value)
    action.status = ActionStatus.DONE
    action.completed_on = completed_on
    action.completed_on_time = completed_on <= action.effective_due_on
    action.completed_by = user
    action.completed_at = timezone.now()
    action.review_status = ReviewStatus.NONE
    action.full_clean(validate_unique=False)
    action.save()
    for upload in files:
        ActionEvidence.objects.create(
            action=action, file=upload, original_name=upload.name[:255], size=upload.size, uploaded_by=user
        )
    return action


@transaction.atomic
def required_action_review(
    *, action: RequiredAction, user, accepted: bool, comment: str = ""
) -> RequiredAction:
    """The branch head accepts a completed action, or returns it with a comment: a returned
    action is open again for its responsible person, to redo within REDO_DAYS."""
    action = RequiredAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not is_head_for(user, action):
        raise ValidationError(_("Only the branch head can review required actions."))
    if action.status != ActionStatus.DONE:
        raise ValidationError(_("Only a completed action can be reviewed."))
    comment = comment.strip()
    if not accepted and not comment:
        raise ValidationError({"comment": _("Say why the action is returned.")})
    action.review_comment = comment
    action.reviewed_by = user
    action.reviewed_at = timezone.now()
    if accepted:
        action.review_status = ReviewStatus.ACCEPTED
    else:
        action.review_status = ReviewStatus.RETURNED
        action.status = ActionStatus.PENDING
        action.redo_by = max(action.due_on, timezone.localdate() + dt.timedelta(days=REDO_DAYS))
        action.completed_on_time = None
    action.save()
    return action


@transaction.atomic
def required_action_waive(*, action: RequiredAction, user, reason: str) -> RequiredAction:
    """Waive an open action (e.g. the loan was settled early); the approver is the branch head."""
    action = RequiredAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not is_head_for(user, action):
        raise ValidationError(_("Only the branch head can waive a required action."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for waiving this action.")})
    if action.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This action is already %(status)s.") % {"status": action.get_status_display()}
        )
    action.status = ActionStatus.WAIVED
    action.waived_reason = reason.strip()
    action.waived_by = user
    action.waived_at = timezone.now()
    action.full_clean(validate_unique=False)
    action.save()
    return action


@transaction.atomic
def required_action_reassign(*, action: RequiredAction, user, to_user, reason: str) -> RequiredAction:
    """Name another first responsible person (branch head only); the change is kept."""
    action = RequiredAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not is_head_for(user, action):
        raise ValidationError(_("Only the branch head can reassign a required action."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the reassignment.")})
    if to_user.pk == action.responsible_id:
        raise ValidationError({"to_user": _("This person is already responsible for the action.")})
    profile = profile_of(to_user)
    if profile is None or profile.branch_id != action.branch_id:
        raise ValidationError({"to_user": _("The new responsible person must work at the action's branch.")})
    if action.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This action is already %(status)s.") % {"status": action.get_status_display()}
        )
    ResponsibilityChange.objects.create(
        action=action,
        from_user_id=action.responsible_id,
        to_user=to_user,
        changed_by=user,
        reason=reason.strip(),
    )
    action.responsible = to_user
    action.save(update_fields=["responsible"])
    return action


# --- Digests ----------------------------------------------------------------------------


DIGEST_DAYS = 7


def actions_digest_send(*, day: dt.date) -> int:
    """Morning email to every officer with open actions due within 7 days or late.

    One email per officer per day (the email row's unique key): running it again queues
    nothing new. Returns how many emails were queued now."""
    due_until = day + dt.timedelta(days=DIGEST_DAYS)
    actions = (
        RequiredAction.objects.filter(status__in=OPEN_STATUSES)
        .annotate(effective_due=Coalesce("redo_by", "due_on"))
        .filter(Q(status=ActionStatus.LATE) | Q(effective_due__lte=due_until))
        .select_related("template", "loan", "loan__borrower", "responsible")
        .order_by("responsible_id", "effective_due", "id")
    )
    per_user: dict[int, list[RequiredAction]] = defaultdict(list)
    users = {}
    for action in actions:
        per_user[action.responsible_id].append(action)
        users[action.responsible_id] = action.responsible
    names = dict(StaffProfile.objects.filter(user_id__in=users).values_list("user_id", "full_name"))
    queued = []
    for user_id, items in per_user.items():
        user = users[user_id]
        if not user.email or not user.is_active:
            continue
        email, created = email_queue(
            kind="actions_digest",
            key_date=day,
            recipient=user,
            template="post_loan/emails/actions_digest",
            context={
                "name": names.get(user_id, user.get_username()),
                "day": day,
                "late": [a for a in items if a.status == ActionStatus.LATE],
                "due": [a for a in items if a.status != ActionStatus.LATE],
            },
            enqueue=False,
        )
        if created:
            queued.append(email.pk)
    email_enqueue_many(email_ids=queued)
    return len(queued)


def late_actions_weekly_digest_send(*, day: dt.date) -> int:
    """Weekly email to each branch head: late actions of their branch, per officer."""
    heads = StaffProfile.objects.filter(role=Role.BRANCH_HEAD, user__is_active=True).select_related(
        "user", "branch"
    )
    late = (
        RequiredAction.objects.filter(status=ActionStatus.LATE)
        .select_related("template", "loan", "responsible__profile")
        .order_by("responsible_id", "due_on")
    )
    per_branch: dict[int, list[RequiredAction]] = defaultdict(list)
    for action in late:
        per_branch[action.branch_id].append(action)
    queued = []
    for head in heads:
        user = head.user
        if not user.email:
            continue
        branch_ids = visible_branch_ids(user)
        items = [a for branch_id in branch_ids for a in per_branch.get(branch_id, [])]
        per_officer: dict[str, list[RequiredAction]] = defaultdict(list)
        for action in items:
            profile = getattr(action.responsible, "profile", None)
            per_officer[profile.full_name if profile else action.responsible.get_username()].append(action)
        email, created = email_queue(
            kind="late_actions_weekly",
            key_date=day,
            recipient=user,
            template="post_loan/emails/late_weekly",
            context={
                "name": head.full_name,
                "day": day,
                "per_officer": sorted(per_officer.items()),
                "total": len(items),
            },
            enqueue=False,
        )
        if created:
            queued.append(email.pk)
    email_enqueue_many(email_ids=queued)
    return len(queued)


# --- Templates ----------------------------------------------------------------------------


def action_templates_seed() -> int:
    """Create the default templates that are missing (an edited template is left alone)."""
    from post_loan.defaults import DEFAULT_TEMPLATES

    created = 0
    for spec in DEFAULT_TEMPLATES:
        values = dict(spec)
        code = values.pop("code")
        _template, was_created = ActionTemplate.objects.get_or_create(code=code, defaults=values)
        created += was_created
    return created


def action_template_for(*, trigger: Trigger) -> ActionTemplate:
    """The active template for an event trigger, seeding the defaults if none exists yet."""
    template = ActionTemplate.objects.filter(trigger=trigger, is_active=True).order_by("id").first()
    if template is None:
        action_templates_seed()
        template = ActionTemplate.objects.filter(trigger=trigger).order_by("id").first()
    if template is None:
        raise ValidationError(_("No action template exists for this event."))
    return template


@transaction.atomic
def action_template_save(*, template: ActionTemplate, user) -> ActionTemplate:
    """Save a template edited by the branch head or an administrator."""
    if role_of(user) not in APPROVER_ROLES:
        raise ValidationError(_("Only the branch head can edit action templates."))
    template.full_clean()
    template.save()
    return template
