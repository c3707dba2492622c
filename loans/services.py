"""Writes to the ledger: schedules, repayments, the daily delinquency recompute, the
five-tier classification workflow and the privacy log. Views, the API, commands, tasks and
the import all call these functions."""

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    APPROVER_ROLES,
    Role,
    can_see_personal_data,
    profile_of,
    role_of,
    visible_branch_ids,
)
from loans import schedules
from loans.bulk import bulk_writes
from loans.domain import _BUCKET_LIMITS, Bucket, RiskClass, is_non_performing, risk_class_floor
from loans.models import (
    Borrower,
    ChangeKind,
    ChangeStatus,
    ClassificationChange,
    Loan,
    LoanStatus,
    PersonalDataReveal,
    Repayment,
    RepaymentSource,
    RevealChannel,
    ScheduleLine,
)

LEDGER_CHANGE_CHUNK = 2000
ZERO = Decimal("0.00")


def ledger_changed(*, loan_ids: Iterable[int], as_of: dt.date) -> None:
    """Tell the rest of the application that these loans changed (imported, repaid,
    reclassified, recomputed by the daily job).

    After the current transaction commits, a Celery task runs every function named in
    ``settings.LEDGER_CHANGE_HANDLERS`` with ``loan_ids=[...], as_of=date`` (in chunks),
    e.g. to build schedules, generate required actions or open collection cases. Handlers
    must be idempotent: the same loans may be reported more than once.
    """
    ids = sorted(set(loan_ids))
    if not ids or not settings.LEDGER_CHANGE_HANDLERS:
        return
    from loans.tasks import run_ledger_change_handlers

    def enqueue():
        for start in range(0, len(ids), LEDGER_CHANGE_CHUNK):
            run_ledger_change_handlers.delay(ids[start : start + LEDGER_CHANGE_CHUNK], as_of.isoformat())

    transaction.on_commit(enqueue)


# --- Schedules ------------------------------------------------------------------------------


def schedule_terms_key(loan: Loan) -> str:
    """The terms a schedule depends on; when one changes, the unpaid part is rebuilt."""
    return "|".join(
        str(value)
        for value in (
            Decimal(loan.principal).quantize(schedules.FEN),
            Decimal(loan.annual_rate).normalize(),
            loan.repayment_method,
            loan.repayment_day,
            loan.disbursed_on,
            loan.matures_on,
        )
    )


@dataclass(slots=True)
class _NewLine:
    """An instalment still to be written (by COPY: model instances cost more than the
    arithmetic when 100,000 imported loans get their schedules at once)."""

    loan_id: int
    seq: int
    due_on: dt.date
    principal_due: Decimal
    interest_due: Decimal
    principal_paid: Decimal = ZERO
    interest_paid: Decimal = ZERO
    paid_on: dt.date | None = None
    pk: None = None


def _copy_lines(lines: list[_NewLine]) -> None:
    buffer = io.StringIO()
    for line in lines:
        paid_on = line.paid_on.isoformat() if line.paid_on else ""
        buffer.write(
            f"{line.loan_id},{line.seq},{line.due_on.isoformat()},{line.principal_due},{line.interest_due},"
            f"{line.principal_paid},{line.interest_paid},{paid_on}\n"
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY loans_scheduleline (loan_id, seq, due_on, principal_due, interest_due, principal_paid,"
            " interest_paid, paid_on) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


def _is_touched(line) -> bool:
    return line.paid_on is not None or line.principal_paid > 0 or line.interest_paid > 0


def _settled_before(loan: Loan) -> dt.date | None:
    """For a loan whose figures came from the core system (``as_of`` set by the import),
    every instalment due before ``as_of - days_past_due`` is settled: the core system says
    the loan is not further behind. Loans entered here (no ``as_of``) have no such date."""
    if loan.as_of is None:
        return None
    return loan.as_of - dt.timedelta(days=loan.days_past_due or 0)


def _plan_schedule(loan: Loan, lines: list[ScheduleLine], as_of: dt.date):
    """Bring one loan's schedule in line with its terms, balance and days past due.

    Returns (new lines to write, lines to update, ids to delete). Rules:
    - no schedule yet: build it from the terms, from disbursement;
    - for imported loans, instalments due before ``loan.as_of - days_past_due`` are settled
      as far as the core system knows, so they are marked paid on their due date;
    - when the unpaid principal differs from the balance, or the terms changed, the
      untouched instalments due from ``as_of`` on are dropped and the balance left after
      the arrears is spread again over the months to maturity.
    """
    to_create: list[ScheduleLine] = []
    to_update: dict[int, ScheduleLine] = {}
    to_delete: list[int] = []
    if not lines:
        lines = [
            _NewLine(loan.pk, item.seq, item.due_on, item.principal, item.interest)
            for item in schedules.build_schedule(
                principal=loan.principal,
                annual_rate=loan.annual_rate,
                method=loan.repayment_method,
                start=loan.disbursed_on,
                matures_on=loan.matures_on,
                repayment_day=loan.repayment_day,
            )
        ]
        to_create = list(lines)

    def changed(line):
        if line.pk:
            to_update[line.pk] = line

    cutoff = _settled_before(loan)
    for line in lines:
        if cutoff and line.paid_on is None and line.due_on < cutoff:
            line.principal_paid, line.interest_paid, line.paid_on = (
                line.principal_due,
                line.interest_due,
                line.due_on,
            )
            changed(line)

    unpaid = sum((line.principal_due - line.principal_paid for line in lines), ZERO)
    key = schedule_terms_key(loan)
    if unpaid != loan.balance or loan.schedule_terms != key:
        keep = [line for line in lines if _is_touched(line) or line.due_on < as_of]
        kept = {id(line) for line in keep}
        for line in lines:
            if id(line) not in kept and line.pk:
                to_delete.append(line.pk)
                to_update.pop(line.pk, None)
        to_create = [line for line in to_create if id(line) in kept]
        remaining = loan.balance - sum((line.principal_due - line.principal_paid for line in keep), ZERO)
        # The balance is below the arrears kept: shrink the newest unpaid instalments.
        for line in sorted(keep, key=lambda line: line.seq, reverse=True):
            if remaining >= 0:
                break
            cut = min(line.principal_due - line.principal_paid, -remaining)
            if cut > 0:
                line.principal_due -= cut
                remaining += cut
                if line.principal_paid >= line.principal_due and line.interest_paid >= line.interest_due:
                    line.paid_on = line.paid_on or as_of
                changed(line)
        if remaining > 0:
            anchor = max((line.due_on for line in keep), default=loan.disbursed_on)
            next_seq = max((line.seq for line in keep), default=0) + 1
            if loan.matures_on > anchor:
                items = schedules.build_schedule(
                    principal=remaining,
                    annual_rate=loan.annual_rate,
                    method=loan.repayment_method,
                    start=anchor,
                    matures_on=loan.matures_on,
                    repayment_day=loan.repayment_day,
                    first_seq=next_seq,
                )
            else:  # past maturity: what is left is due at once
                items = [schedules.Instalment(next_seq, max(as_of, anchor), remaining, ZERO)]
            for item in items:
                to_create.append(_NewLine(loan.pk, item.seq, item.due_on, item.principal, item.interest))
    return to_create, list(to_update.values()), to_delete


def _schedules_sync(loan_ids: list[int], *, as_of: dt.date) -> int:
    """Schedules for up to a chunk of loans in a few queries; returns the loans touched."""
    aggregates = {
        row["loan_id"]: row
        for row in ScheduleLine.objects.filter(loan_id__in=loan_ids)
        .values("loan_id")
        .annotate(
            lines=Count("id"),
            unpaid=Sum(F("principal_due") - F("principal_paid")),
            oldest_unpaid=Min("due_on", filter=Q(paid_on__isnull=True)),
        )
    }
    loans = list(Loan.objects.filter(pk__in=loan_ids).exclude(status=LoanStatus.WRITTEN_OFF))
    work = []
    for loan in loans:
        row = aggregates.get(loan.pk)
        cutoff = _settled_before(loan)
        if (
            row is None
            or row["unpaid"] != loan.balance
            or loan.schedule_terms != schedule_terms_key(loan)
            or (cutoff and row["oldest_unpaid"] is not None and row["oldest_unpaid"] < cutoff)
        ):
            work.append(loan)
    if not work:
        return 0
    existing = defaultdict(list)
    with_lines = [loan.pk for loan in work if loan.pk in aggregates]
    if with_lines:
        for line in ScheduleLine.objects.filter(loan_id__in=with_lines).order_by("loan_id", "seq"):
            existing[line.loan_id].append(line)
    creates, updates, deletes = [], [], []
    for loan in work:
        to_create, to_update, to_delete = _plan_schedule(loan, existing.get(loan.pk, []), as_of)
        creates += to_create
        updates += to_update
        deletes += to_delete
        loan.schedule_terms = schedule_terms_key(loan)
    with transaction.atomic():
        if deletes:
            ScheduleLine.objects.filter(pk__in=deletes).delete()
        if updates:
            ScheduleLine.objects.bulk_update(
                updates, ["principal_due", "principal_paid", "interest_paid", "paid_on"], batch_size=1000
            )
        if creates:
            _copy_lines(creates)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE loans_loan l SET schedule_terms = v.terms"
                " FROM unnest(%s::bigint[], %s::text[]) AS v(id, terms) WHERE l.id = v.id",
                [[loan.pk for loan in work], [loan.schedule_terms for loan in work]],
            )
    return len(work)


def schedule_build(*, loan: Loan, as_of: dt.date | None = None) -> list[ScheduleLine]:
    """Build (or bring up to date) one loan's schedule; running it again changes nothing."""
    _schedules_sync([loan.pk], as_of=as_of or timezone.localdate())
    loan.refresh_from_db(fields=["schedule_terms"])
    return list(loan.schedule.order_by("seq"))


def schedules_on_ledger_changed(*, loan_ids: Iterable[int], as_of: dt.date) -> int:
    """LEDGER_CHANGE_HANDLERS entry: schedules for imported (or changed) loans, in chunks
    of 2,000 loans, each a few queries (aggregate, loans, lines when needed, bulk writes)."""
    ids = sorted(set(loan_ids))
    touched = 0
    for start in range(0, len(ids), LEDGER_CHANGE_CHUNK):
        touched += _schedules_sync(ids[start : start + LEDGER_CHANGE_CHUNK], as_of=as_of)
    return touched


# --- Arrears, days past due, buckets and the classification floor --------------------------


def _bucket_sql() -> str:
    cases = " ".join(f"WHEN dpd <= {limit} THEN '{bucket.value}'" for limit, bucket in _BUCKET_LIMITS)
    return f"CASE {cases} ELSE '{Bucket.OVER_360.value}' END"


# The floor of the 2023 risk classification measures (loans.domain.risk_class_floor) in SQL.
_FLOOR_SQL = (
    "CASE WHEN dpd > 360 THEN 5 WHEN dpd > 270 THEN 4 WHEN dpd > 90 THEN 3 WHEN dpd > 0 THEN 2 ELSE 1 END"
)


def _arrears_update(*, as_of: dt.date, loan_ids: list[int] | None = None) -> list[tuple[int, int, int, int]]:
    """One UPDATE for every active loan with a schedule (or just ``loan_ids``): overdue
    principal and interest and days past due from the instalments due before ``as_of`` and
    still unpaid, the bucket, and the class raised to the floor. Returns (loan id, old
    class, new class, days past due) for the loans whose figures changed."""
    only = "AND l.id = ANY(%(ids)s)" if loan_ids is not None else ""
    sql = f"""
        WITH arrears AS (
            SELECT l.id AS loan_id, l.risk_class AS old_class,
                   LEAST(COALESCE(SUM(s.principal_due - s.principal_paid), 0), l.balance) AS op,
                   COALESCE(SUM(s.interest_due - s.interest_paid), 0) AS oi,
                   COALESCE(%(as_of)s::date - MIN(s.due_on), 0) AS dpd
            FROM loans_loan l
            LEFT JOIN loans_scheduleline s
                   ON s.loan_id = l.id AND s.paid_on IS NULL AND s.due_on < %(as_of)s::date
            WHERE l.status = 'active' {only}
              AND EXISTS (SELECT 1 FROM loans_scheduleline x WHERE x.loan_id = l.id)
            GROUP BY l.id
        ), target AS (
            SELECT loan_id, old_class, op, oi, dpd, {_bucket_sql()} AS bucket,
                   GREATEST(old_class, {_FLOOR_SQL}) AS new_class
            FROM arrears
        )
        UPDATE loans_loan l
           SET overdue_principal = t.op, overdue_interest = t.oi, days_past_due = t.dpd,
               bucket = t.bucket, risk_class = t.new_class, updated_at = now()
          FROM target t
         WHERE l.id = t.loan_id
           AND (l.overdue_principal, l.overdue_interest, l.days_past_due, l.bucket, l.risk_class)
               IS DISTINCT FROM (t.op, t.oi, t.dpd, t.bucket, t.new_class)
        RETURNING l.id, t.old_class, t.new_class, t.dpd
    """  # noqa: S608 - only constants of this module are interpolated; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {"as_of": as_of, "ids": loan_ids})
        rows = cursor.fetchall()
    now = timezone.now()
    raised = [
        ClassificationChange(
            loan_id=loan_id,
            from_class=old,
            to_class=new,
            reason=_("%(days)d days past due: the 2023 classification measures set the floor at %(label)s.")
            % {"days": dpd, "label": RiskClass(new).label},
            kind=ChangeKind.SYSTEM_FLOOR,
            status=ChangeStatus.APPROVED,
            proposed_at=now,
            decided_at=now,
        )
        for loan_id, old, new, dpd in rows
        if new != old
    ]
    if raised:
        ClassificationChange.objects.bulk_create(raised, batch_size=2000)
    return rows


def delinquency_recompute(*, as_of: dt.date) -> int:
    """The daily job: days past due, overdue amounts, buckets and the classification floor
    for every active loan, in one set-based UPDATE; the floor raises are recorded as
    changes by the system. Returns how many loans changed (and reports them)."""
    with transaction.atomic():
        with bulk_writes():
            rows = _arrears_update(as_of=as_of)
        ledger_changed(loan_ids=[row[0] for row in rows], as_of=as_of)
    return len(rows)


# --- Repayments ---------------------------------------------------------------------------------


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip() if value is not None else "0")
    except InvalidOperation:
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
    reference = (reference or "").strip()
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


# --- Five-tier classification workflow -----------------------------------------------------


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


# --- Privacy ------------------------------------------------------------------------------------


def personal_data_reveal(
    *,
    user,
    borrower: Borrower | None,
    officer_id: int | None,
    channel: str,
    detail: str,
    loan: Loan | None = None,
) -> PersonalDataReveal:
    """Log that ``user`` saw full ID numbers and phones; refuses users who may not."""
    if not can_see_personal_data(user, officer_id=officer_id):
        raise PermissionDenied
    if channel not in RevealChannel.values:
        raise ValueError(channel)
    return PersonalDataReveal.objects.create(
        user=user, borrower=borrower, loan=loan, channel=channel, detail=detail[:200]
    )
