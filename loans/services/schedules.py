"""Repayment schedules: built from the loan's terms, brought in line with the balance and
the days past due the core system reports, set-based for whole imports."""

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone

from loans import schedules
from loans.models import Loan, LoanStatus, ScheduleLine
from loans.services.ledger_changes import LEDGER_CHANGE_CHUNK
from loans.services.locks import loans_lock

ZERO = Decimal("0.00")


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


@dataclass
class _SchedulePlan:
    """What one loan's schedule needs: new lines to write, lines to update (by id), ids to
    delete."""

    create: list[_NewLine] = field(default_factory=list)
    update: dict[int, ScheduleLine] = field(default_factory=dict)
    delete: list[int] = field(default_factory=list)

    def changed(self, line) -> None:
        if line.pk:  # new lines are written whole; only stored ones need an update
            self.update[line.pk] = line


def _new_lines(loan: Loan, items) -> list[_NewLine]:
    return [_NewLine(loan.pk, item.seq, item.due_on, item.principal, item.interest) for item in items]


def _unpaid_principal(lines) -> Decimal:
    return sum((line.principal_due - line.principal_paid for line in lines), ZERO)


def _mark_settled(loan: Loan, lines, plan: _SchedulePlan) -> None:
    """Instalments the core system says are settled are paid on their due date."""
    cutoff = _settled_before(loan)
    if not cutoff:
        return
    for line in lines:
        if line.paid_on is None and line.due_on < cutoff:
            line.principal_paid, line.interest_paid, line.paid_on = (
                line.principal_due,
                line.interest_due,
                line.due_on,
            )
            plan.changed(line)


def _shrink_arrears(keep, remaining: Decimal, as_of: dt.date, plan: _SchedulePlan) -> Decimal:
    """The balance is below the arrears kept: shrink the newest unpaid instalments.
    Returns what is left of the balance to spread (negative only if nothing could shrink)."""
    for line in sorted(keep, key=lambda line: line.seq, reverse=True):
        if remaining >= 0:
            break
        cut = min(line.principal_due - line.principal_paid, -remaining)
        if cut > 0:
            line.principal_due -= cut
            remaining += cut
            if line.principal_paid >= line.principal_due and line.interest_paid >= line.interest_due:
                line.paid_on = line.paid_on or as_of
            plan.changed(line)
    return remaining


def _tail_lines(loan: Loan, keep, remaining: Decimal, as_of: dt.date) -> list[_NewLine]:
    """The balance left after the kept instalments, spread over the months to maturity."""
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
    return _new_lines(loan, items)


def _respread(loan: Loan, lines, as_of: dt.date, plan: _SchedulePlan) -> None:
    """Drop the untouched instalments due from ``as_of`` on and spread the balance again."""
    keep = [line for line in lines if _is_touched(line) or line.due_on < as_of]
    kept = {id(line) for line in keep}
    for line in lines:
        if id(line) not in kept and line.pk:
            plan.delete.append(line.pk)
            plan.update.pop(line.pk, None)
    plan.create = [line for line in plan.create if id(line) in kept]
    remaining = _shrink_arrears(keep, loan.balance - _unpaid_principal(keep), as_of, plan)
    if remaining > 0:
        plan.create += _tail_lines(loan, keep, remaining, as_of)


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
    plan = _SchedulePlan()
    if not lines:
        lines = _new_lines(
            loan,
            schedules.build_schedule(
                principal=loan.principal,
                annual_rate=loan.annual_rate,
                method=loan.repayment_method,
                start=loan.disbursed_on,
                matures_on=loan.matures_on,
                repayment_day=loan.repayment_day,
            ),
        )
        plan.create = list(lines)
    _mark_settled(loan, lines, plan)
    if _unpaid_principal(lines) != loan.balance or loan.schedule_terms != schedule_terms_key(loan):
        _respread(loan, lines, as_of, plan)
    return plan.create, list(plan.update.values()), plan.delete


def _schedules_sync(loan_ids: list[int], *, as_of: dt.date) -> int:
    """Schedules for up to a chunk of loans in a few queries; returns the loans touched.

    The loans are locked (pk order) before their lines are read: a second sync of the same
    loans (seed_demo while a worker runs the ledger-change task, two workers) waits, then
    finds the lines written and has nothing left to do."""
    with transaction.atomic():
        loans_lock(loan_ids=loan_ids)
        return _schedules_sync_locked(loan_ids, as_of=as_of)


def _schedules_sync_locked(loan_ids: list[int], *, as_of: dt.date) -> int:
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
