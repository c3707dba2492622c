"""Arrears, days past due, buckets and the classification floor: the daily recompute."""

import datetime as dt
from contextlib import nullcontext

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


# A loan can change only if it has an instalment due and unpaid, or still shows arrears
# from an earlier run or the ledger: every other loan computes to zero arrears, bucket
# current and its own class, which it has already (unless its class is below the
# restructuring floor, loans.domain.class_floor). Only those candidates are computed.
_TARGETS_SQL = f"""
    WITH due AS (
        SELECT s.loan_id, SUM(s.principal_due - s.principal_paid) AS op,
               SUM(s.interest_due - s.interest_paid) AS oi, MIN(s.due_on) AS first_due
        FROM loans_scheduleline s
        WHERE s.paid_on IS NULL AND s.due_on < %(as_of)s::date {{only_lines}}
        GROUP BY s.loan_id
    ), candidates AS (
        SELECT loan_id AS id FROM due
        UNION
        SELECT id FROM loans_loan
        WHERE status = 'active' {{only_loans}}
          AND (days_past_due <> 0 OR overdue_principal <> 0 OR overdue_interest <> 0
               OR bucket <> '{Bucket.CURRENT.value}' OR risk_class < class_floor)
    ), arrears AS MATERIALIZED (
        SELECT l.id AS loan_id, l.risk_class AS old_class, l.class_floor,
               LEAST(COALESCE(d.op, 0), l.balance) AS op, COALESCE(d.oi, 0) AS oi,
               COALESCE(%(as_of)s::date - d.first_due, 0) AS dpd
        FROM candidates c
        JOIN loans_loan l ON l.id = c.id
        LEFT JOIN due d ON d.loan_id = l.id
        WHERE l.status = 'active'
    ), target AS (
        SELECT loan_id, old_class, op, oi, dpd, {_bucket_sql()} AS bucket,
               GREATEST(old_class, {_FLOOR_SQL}, class_floor) AS new_class
        FROM arrears a
        -- Only loans with a schedule. A scalar subquery on the (few) candidates, not EXISTS:
        -- the planner turns an EXISTS into a semi join that hashes every schedule line.
        WHERE (SELECT true FROM loans_scheduleline x WHERE x.loan_id = a.loan_id LIMIT 1)
    )
    SELECT t.loan_id, t.old_class, t.new_class, t.dpd, t.op, t.oi, t.bucket
    FROM target t JOIN loans_loan l ON l.id = t.loan_id
    WHERE (l.overdue_principal, l.overdue_interest, l.days_past_due, l.bucket, l.risk_class)
          IS DISTINCT FROM (t.op, t.oi, t.dpd, t.bucket, t.new_class)
    ORDER BY t.loan_id
"""  # noqa: S608 - only constants of this module are interpolated; values are parameters

_WRITE_SQL = """
    UPDATE loans_loan l
       SET overdue_principal = t.op, overdue_interest = t.oi, days_past_due = t.dpd,
           bucket = t.bucket, risk_class = t.new_class, updated_at = now()
      FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::integer[], %s::varchar[], %s::smallint[])
           AS t (id, op, oi, dpd, bucket, new_class)
     WHERE l.id = t.id
"""


def _arrears_update(*, as_of: dt.date, loan_ids: list[int] | None = None) -> list[tuple[int, int, int, int]]:
    """Overdue principal and interest and days past due from the instalments due before
    ``as_of`` and still unpaid, the bucket, and the class raised to the floor (the
    days-past-due floor and the loan's restructuring floor, whichever is worse), for every
    active loan with a schedule (or just ``loan_ids``). Returns (loan id, old class, new
    class, days past due) for the loans whose figures changed.

    Two statements: a SELECT of the loans that change (index lookups, nested loops allowed),
    then one UPDATE of just those. The whole-ledger run makes the UPDATE with bulk_writes
    (the history trigger's join); the SELECT must not, or it hashes every schedule line.
    Callers hold the loans' row locks, so nothing changes between the two."""
    only = loan_ids is not None
    sql = _TARGETS_SQL.format(
        only_lines="AND s.loan_id = ANY(%(ids)s)" if only else "",
        only_loans="AND id = ANY(%(ids)s)" if only else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"as_of": as_of, "ids": loan_ids})
        targets = cursor.fetchall()
    if targets:
        columns = list(zip(*targets, strict=True))
        with bulk_writes() if not only else nullcontext(), connection.cursor() as cursor:
            ids, _old, new_class, dpd, op, oi, bucket = columns
            cursor.execute(
                _WRITE_SQL, [list(ids), list(op), list(oi), list(dpd), list(bucket), list(new_class)]
            )
    rows = [(loan_id, old, new, dpd) for loan_id, old, new, dpd, *_figures in targets]
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
    for every active loan, set-based (one SELECT of the loans that change, one UPDATE);
    the floor raises are recorded as changes by the system. Returns how many loans
    changed (and reports them)."""
    with transaction.atomic():
        # Every active loan locked first (pk order, like every other writer): a payment or
        # an import committing meanwhile is waited for, then read, never overwritten.
        loans_lock()
        rows = _arrears_update(as_of=as_of)
        ledger_changed(loan_ids=[row[0] for row in rows], as_of=as_of)
    return len(rows)
