"""Generation of the required actions: the daily job and the ledger hook create them from
the active templates; events (a signal, a flagged project) create one by hand."""

import datetime as dt
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Min
from django.db.models.functions import TruncDate
from django.utils import translation
from django.utils.translation import gettext as _

from core.locks import advisory_xact_lock
from loans.models import Collateral, Guarantor, Loan, LoanStatus
from post_loan.models import ActionTemplate, LoanClassSnapshot, RequiredAction, Trigger
from post_loan.services.planners import LoanFacts, TemplatesByKind, Window, planned_templates

BATCH_SIZE = 5000
# Rows per INSERT statement (about 25 parameters each).
INSERT_CHUNK = 1000
# The daily job and the ledger-change hook generate one at a time (core.locks).
GENERATION_LOCK = "post_loan.generation"

LOAN_COLUMNS = (
    "id",
    "branch_id",
    "officer_id",
    "borrower__borrower_type",
    "product",
    "guarantee",
    "disbursed_on",
    "matures_on",
    # The day the loan entered this system, in the site's time zone (TruncDate converts),
    # computed by the database rather than per loan in Python.
    "created_on",
    "days_past_due",
    "as_of",
    "risk_class",
    "borrower__licence_expires_on",
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
    # One run at a time: a second run waits, then reads the first one's actions as existing
    # (their inserts in another order could otherwise deadlock on the unique key).
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        advisory_xact_lock(namespace=GENERATION_LOCK)
        return _generate(as_of=as_of, loan_ids=loan_ids, earliest=earliest)


def _generate(*, as_of: dt.date, loan_ids: Iterable[int] | None, earliest: dt.date | None) -> int:
    loan_ids = list(loan_ids) if loan_ids is not None else None
    templates = planned_templates(list(ActionTemplate.objects.filter(is_active=True)))
    triggers = {template.trigger for template in templates}
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE)
    if loan_ids is not None:
        loans = loans.filter(id__in=loan_ids)
    window = Window(as_of=as_of, earliest=earliest)
    existing = _existing_keys(since=window.lookback_start, loan_ids=loan_ids)
    created = 0
    pending: list[RequiredAction] = []
    planner = TemplatesByKind(templates)
    for loan in _loan_facts(loans, loan_ids=loan_ids, triggers=triggers):
        pending.extend(
            planned.build() for planned in planner.plan(loan, window) if planned.key not in existing
        )
        if len(pending) >= BATCH_SIZE:
            created += _insert_new(pending)
            pending = []
    created += _insert_new(pending)
    if Trigger.ON_CLASS_WORSENED in triggers:
        _class_snapshots_refresh(loans=loans, as_of=as_of)
    return created


def _existing_keys(*, since: dt.date, loan_ids: list[int] | None) -> set[tuple[int, int, dt.date]]:
    """Keys that exist already are skipped before building model instances: a daily run
    then builds only the few new actions (the insert still settles any race)."""
    actions = RequiredAction.objects.filter(loan__isnull=False, due_on__gte=since)
    if loan_ids is not None:
        actions = actions.filter(loan_id__in=loan_ids)
    return set(actions.values_list("loan_id", "template_id", "due_on").iterator(chunk_size=BATCH_SIZE))


def _loan_facts(loans, *, loan_ids: list[int] | None, triggers: set[str]) -> Iterator[LoanFacts]:
    """The active loans, with their last appraisal and worsened class where a template needs them."""
    appraisals = _last_appraisals(loan_ids) if Trigger.COLLATERAL_REAPPRAISAL in triggers else {}
    insurance = (
        _first_dates(Collateral, "insurance_expires_on", loan_ids)
        if Trigger.INSURANCE_EXPIRY in triggers
        else {}
    )
    guarantees = (
        _first_dates(Guarantor, "guarantee_ends_on", loan_ids)
        if Trigger.GUARANTEE_ENDS_EARLY in triggers
        else {}
    )
    # Loans whose class is worse than when we last looked (few): one query, no per-loan work.
    worsened = (
        dict(
            LoanClassSnapshot.objects.filter(
                loan__in=loans, loan__risk_class__gt=F("risk_class")
            ).values_list("loan_id", "risk_class")
        )
        if Trigger.ON_CLASS_WORSENED in triggers
        else {}
    )
    rows = loans.annotate(created_on=TruncDate("created_at")).values_list(*LOAN_COLUMNS)
    for row in rows.iterator(chunk_size=BATCH_SIZE):
        (loan_id, branch_id, officer_id, borrower_type, product, guarantee, disbursed_on, matures_on) = row[
            :8
        ]
        created_on, days_past_due, ledger_as_of, risk_class, licence_expires_on = row[8:]
        yield LoanFacts(
            id=loan_id,
            branch_id=branch_id,
            officer_id=officer_id,
            borrower_type=borrower_type,
            product=product,
            guarantee=guarantee,
            disbursed_on=disbursed_on,
            matures_on=matures_on,
            created_on=created_on,
            days_past_due=days_past_due,
            ledger_as_of=ledger_as_of,
            risk_class=risk_class,
            appraised_on=appraisals.get(loan_id),
            previous_class=worsened.get(loan_id),
            insurance_expires_on=insurance.get(loan_id),
            licence_expires_on=licence_expires_on,
            guarantee_ends_on=guarantees.get(loan_id),
        )


def _last_appraisals(loan_ids: list[int] | None) -> dict[int, dt.date]:
    collateral = Collateral.objects.filter(loan__status=LoanStatus.ACTIVE)
    if loan_ids is not None:
        collateral = collateral.filter(loan_id__in=loan_ids)
    return dict(
        collateral.values("loan_id").annotate(last=Max("appraised_on")).values_list("loan_id", "last")
    )


def _first_dates(model, field: str, loan_ids: list[int] | None) -> dict[int, dt.date]:
    """The earliest ``field`` per active loan, for the rows that record one: one grouped
    query (collateral insurance, guarantee contract end)."""
    rows = model.objects.filter(loan__status=LoanStatus.ACTIVE, **{f"{field}__isnull": False})
    if loan_ids is not None:
        rows = rows.filter(loan_id__in=loan_ids)
    return dict(rows.values("loan_id").annotate(first=Min(field)).values_list("loan_id", "first"))


def _insert_new(actions: list[RequiredAction]) -> int:
    """Insert the actions, skipping any whose key another writer inserted meanwhile, and
    return how many this call inserted.

    INSERT ... ON CONFLICT DO NOTHING RETURNING id returns exactly the rows this statement
    wrote, so the count stays right with a second worker or the ledger hook running at the
    same time (counting the table before and after does not, and bulk_create with
    ignore_conflicts returns no ids)."""
    fields = [field for field in RequiredAction._meta.concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(RequiredAction._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    inserted = 0
    for start in range(0, len(actions), INSERT_CHUNK):
        chunk = actions[start : start + INSERT_CHUNK]
        params = [
            field.get_db_prep_save(field.pre_save(action, add=True), connection)
            for action in chunk
            for field in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))} "  # noqa: S608 - names from the model
                "ON CONFLICT DO NOTHING RETURNING id",
                params,
            )
            inserted += len(cursor.fetchall())
    return inserted


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
