"""Arrears, days past due, buckets and the classification floor: the daily recompute."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loans.bulk import bulk_writes
from loans.domain import _BUCKET_LIMITS, _FLOOR_LIMITS, Bucket, RiskClass
from loans.models import ChangeKind, ChangeStatus, ClassificationChange
from loans.services.ledger_changes import ledger_changed
from loans.services.locks import loans_lock


def _bucket_sql() -> str:
    cases = " ".join(f"WHEN dpd <= {limit} THEN '{bucket.value}'" for limit, bucket in _BUCKET_LIMITS)
    return f"CASE {cases} ELSE '{Bucket.OVER_360.value}' END"


def _floor_sql() -> str:
    """The floor of the 2023 risk classification measures (loans.domain.risk_class_floor)
    in SQL, the worst floor first: CASE WHEN dpd > 360 THEN 5 ... ELSE 1 END."""
    cases = " ".join(f"WHEN dpd > {limit} THEN {floor.value}" for limit, floor in reversed(_FLOOR_LIMITS))
    return f"CASE {cases} ELSE {RiskClass.NORMAL.value} END"


_FLOOR_SQL = _floor_sql()


def _arrears_update(*, as_of: dt.date, loan_ids: list[int] | None = None) -> list[tuple[int, int, int, int]]:
    """One UPDATE for every active loan with a schedule (or just ``loan_ids``): overdue
    principal and interest and days past due from the instalments due before ``as_of`` and
    still unpaid, the bucket, and the class raised to the floor (loans.domain.class_floor:
    the days-past-due floor and the loan's restructuring floor, whichever is worse). Returns (loan id, old
    class, new class, days past due) for the loans whose figures changed."""
    only = "AND l.id = ANY(%(ids)s)" if loan_ids is not None else ""
    sql = f"""
        WITH arrears AS (
            SELECT l.id AS loan_id, l.risk_class AS old_class, l.class_floor,
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
                   GREATEST(old_class, {_FLOOR_SQL}, class_floor) AS new_class
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
        # Every active loan locked first (pk order, like every other writer): a payment or
        # an import committing meanwhile is waited for, then read, never overwritten.
        loans_lock()
        with bulk_writes():
            rows = _arrears_update(as_of=as_of)
        ledger_changed(loan_ids=[row[0] for row in rows], as_of=as_of)
    return len(rows)
