"""The watchlist's rules: one function per reason a current loan is getting worse.

Each rule is set-based: it takes the queryset of candidate loans (active and current, see
``candidate_loans``) and answers ``{loan_id: detail}`` for the loans it flags, with one or two
SQL statements whatever the number of loans (never a query per loan), so the daily refresh
runs over a million loans in seconds. Details are written in the active language; the
refresh stores them in the site's language.

Sources. The 2023 rules (《商业银行金融资产风险分类办法》, 国家金融监督管理总局 (then CBIRC)
and 中国人民银行, 2023) define 关注 (special mention) as a debtor who can still pay but with
factors that may hurt repayment (the five-class definitions, art. 9 as we recall it), and list
the cases that need at least 关注 (art. 11 ff., as loans/domain.py cites). Each reason below is
such a factor on a loan that is still current: it does not downgrade the loan by itself; it
asks the officer to verify on site and decide. Article numbers are from memory (no
authoritative copy could be retrieved); the thresholds (two of the last six instalments,
coverage below 1.0) are the branch's practice as issue 14 states it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import F, Max, QuerySet, Sum
from django.utils.translation import gettext as _

from core.formatting import format_amount, format_date
from guarantees.models import ContagionFlag
from loans.models import Borrower, Guarantee, Guarantor, Loan, LoanStatus, ScheduleLine
from loans.selectors import industry_policy_for
from screening.models import EarlyWarningSignal, SignalStatus
from watchlist.models import Reason

RECENT_INSTALMENTS = 6  # the window: the last six instalments that fell due
# Only instalments due in the last two years are read (six quarterly ones span 18 months), so
# the statement reads a slice of the schedule table, not all of its history.
LOOKBACK_DAYS = 731
LATE_LIMIT = 2  # two or more of them paid after their due date flag the loan
COVERAGE_FLOOR = Decimal("1.0")
SECURED = (Guarantee.MORTGAGE, Guarantee.PLEDGE)
_TEXT = 300


def candidate_loans(branch_ids=None) -> QuerySet[Loan]:
    """The loans the watchlist is about: active and current (no day past due). An overdue
    loan is already the collection worklist's and the classification floor's business."""
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due=0)
    if branch_ids is not None:
        loans = loans.filter(branch_id__in=list(branch_ids))
    return loans


def _ids_sql(candidates: QuerySet[Loan]) -> tuple[str, tuple]:
    return candidates.values("id").query.sql_with_params()


def late_instalments(candidates: QuerySet[Loan], *, as_of) -> dict[int, str]:
    """Two or more of the last six instalments (due on or before ``as_of``) were paid after
    their due date, even if paid before the month ended; an instalment still unpaid after its
    due date counts as late too. Instalments due more than two years ago are not read. Paid on the due date is on time. 2023 rules, the 关注
    definition (late payment as a factor), thresholds from practice."""
    ids_sql, ids_params = _ids_sql(candidates)
    sql = f"""
        SELECT loan_id, array_agg(due_on ORDER BY due_on), array_agg(paid_on ORDER BY due_on)
        FROM (
            SELECT line.loan_id, line.due_on, line.paid_on,
                   row_number() OVER (PARTITION BY line.loan_id ORDER BY line.due_on DESC, line.seq DESC)
                       AS recent
            FROM {ScheduleLine._meta.db_table} line
            WHERE line.due_on <= %s AND line.due_on > %s
              AND line.principal_due + line.interest_due > 0
              AND line.loan_id IN ({ids_sql})
        ) last_lines
        WHERE recent <= %s AND (paid_on > due_on OR (paid_on IS NULL AND due_on < %s))
        GROUP BY loan_id
        HAVING count(*) >= %s
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                as_of,
                as_of - dt.timedelta(days=LOOKBACK_DAYS),
                *ids_params,
                RECENT_INSTALMENTS,
                as_of,
                LATE_LIMIT,
            ],
        )
        rows = cursor.fetchall()
    found = {}
    for loan_id, due_dates, paid_dates in rows:
        lines = "; ".join(
            _("due %(due)s, paid %(paid)s") % {"due": format_date(due), "paid": format_date(paid)}
            if paid
            else _("due %(due)s, unpaid") % {"due": format_date(due)}
            for due, paid in zip(due_dates, paid_dates, strict=True)
        )
        found[loan_id] = (
            _("%(count)s of the last %(window)s instalments paid late: %(lines)s")
            % {"count": len(due_dates), "window": RECENT_INSTALMENTS, "lines": lines}
        )[:_TEXT]
    return found


def _overdue_guarantors(candidates: QuerySet[Loan]) -> dict[int, str]:
    """Guarantors of the loan (matched by ID number, whatever the case) who are borrowers
    with an overdue active loan."""
    ids_sql, ids_params = _ids_sql(candidates)
    sql = f"""
        SELECT g.loan_id, g.name, max(l.days_past_due)
        FROM {Guarantor._meta.db_table} g
        JOIN {Borrower._meta.db_table} b ON upper(b.id_number) = upper(g.id_number)
        JOIN {Loan._meta.db_table} l
          ON l.borrower_id = b.id AND l.status = %s AND l.days_past_due > 0
        WHERE g.loan_id IN ({ids_sql})
        GROUP BY g.loan_id, g.id, g.name
        ORDER BY g.loan_id, g.id
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [LoanStatus.ACTIVE, *ids_params])
        rows = cursor.fetchall()
    found: dict[int, list[str]] = {}
    for loan_id, name, days in rows:
        found.setdefault(loan_id, []).append(
            _("guarantor %(name)s is %(days)s days past due") % {"name": name, "days": days}
        )
    return {loan_id: "; ".join(parts) for loan_id, parts in found.items()}


def guarantor_overdue(candidates: QuerySet[Loan], *, as_of) -> dict[int, str]:
    """A guarantor of the loan is a borrower with an overdue loan, or the loan's guarantee
    circle has an overdue member (an open guarantees.ContagionFlag, refreshed at 05:15).
    2023 rules, 关注 definition (a guarantor's ability to pay falls)."""
    found = _overdue_guarantors(candidates)
    flags = ContagionFlag.objects.filter(cleared_on__isnull=True, loan__in=candidates).values_list(
        "loan_id", "overdue_members"
    )
    for loan_id, members in flags.order_by("loan_id", "id"):
        text = _("guarantee circle member overdue: %(names)s") % {"names": members}
        found[loan_id] = f"{found[loan_id]}; {text}" if loan_id in found else text
    return {loan_id: text[:_TEXT] for loan_id, text in found.items()}


def low_coverage(candidates: QuerySet[Loan], *, as_of) -> dict[int, str]:
    """Secured loans (mortgage, pledge) whose collateral, at its latest appraisal, is worth
    less than the balance: coverage = sum of appraised values / balance < 1.0. A revaluation
    updates the collateral's appraised value and date (the history keeps the old ones); a
    secured loan with no collateral recorded is not rated here. 2023 rules, 关注 definition (collateral
    value falls), threshold from practice."""
    rows = (
        candidates.filter(guarantee__in=SECURED, balance__gt=0)
        .annotate(
            collateral_value=Sum("collateral__appraised_value"), appraised=Max("collateral__appraised_on")
        )
        .filter(collateral_value__lt=F("balance") * COVERAGE_FLOOR)
        .values_list("id", "collateral_value", "balance", "appraised")
    )
    return {
        loan_id: _(
            "coverage %(ratio)s: collateral %(value)s yuan for a balance of %(balance)s yuan (appraised %(on)s)"
        )
        % {
            "ratio": (value / balance).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            "value": format_amount(value),
            "balance": format_amount(balance),
            "on": format_date(appraised),
        }
        for loan_id, value, balance, appraised in rows
    }


def restricted_industry(candidates: QuerySet[Loan], *, as_of) -> dict[int, str]:
    """The borrower's industry (GB/T 4754 code) is restricted or prohibited by the branch's
    industry policy (loans.IndustryPolicy, longest prefix). 2023 rules, 关注 definition (the industry
    turns against the borrower); the policy list is the branch's."""
    loans = candidates.exclude(borrower__industry_code="").values_list("id", "borrower__industry_code")
    codes = set(loans.values_list("borrower__industry_code", flat=True).distinct())
    flagged = {code: policy for code, policy in industry_policy_for(codes).items() if policy.is_flagged}
    if not flagged:
        return {}
    return {
        loan_id: _("%(code)s %(industry)s: %(policy)s")
        % {
            "code": flagged[code].code,
            "industry": flagged[code].name,
            "policy": flagged[code].get_level_display(),
        }
        for loan_id, code in loans.filter(borrower__industry_code__in=list(flagged))
    }


def open_signal(candidates: QuerySet[Loan], *, as_of) -> dict[int, str]:
    """An early-warning signal (预警信号) still open (not yet verified on site) on the loan,
    or on its borrower without naming a loan. 2023 rules, 关注 definition (other signs of risk)."""
    on_loans = EarlyWarningSignal.objects.filter(status=SignalStatus.OPEN, loan__in=candidates)
    on_borrowers = EarlyWarningSignal.objects.filter(
        status=SignalStatus.OPEN, loan__isnull=True, borrower__in=candidates.values("borrower_id")
    )
    signals = on_loans.union(on_borrowers, all=True).values_list(
        "loan_id", "borrower_id", "kind", "raised_on"
    )
    by_loan: dict[int, list[tuple]] = {}
    by_borrower: dict[int, list[tuple]] = {}
    for loan_id, borrower_id, kind, raised_on in signals:
        target = by_loan.setdefault(loan_id, []) if loan_id else by_borrower.setdefault(borrower_id, [])
        target.append((kind, raised_on))
    if by_borrower:
        for loan_id, borrower_id in candidates.filter(borrower_id__in=list(by_borrower)).values_list(
            "id", "borrower_id"
        ):
            by_loan.setdefault(loan_id, []).extend(by_borrower[borrower_id])
    labels = dict(EarlyWarningSignal._meta.get_field("kind").choices)
    return {
        loan_id: "; ".join(
            _("%(kind)s, raised %(on)s") % {"kind": labels.get(kind, kind), "on": format_date(on)}
            for kind, on in sorted(found, key=lambda item: item[1])
        )[:_TEXT]
        for loan_id, found in by_loan.items()
    }


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    function: Callable[..., dict[int, str]]


RULES: tuple[Rule, ...] = (
    Rule(Reason.LATE_INSTALMENTS, Reason.LATE_INSTALMENTS.label, late_instalments),
    Rule(Reason.GUARANTOR_OVERDUE, Reason.GUARANTOR_OVERDUE.label, guarantor_overdue),
    Rule(Reason.LOW_COVERAGE, Reason.LOW_COVERAGE.label, low_coverage),
    Rule(Reason.RESTRICTED_INDUSTRY, Reason.RESTRICTED_INDUSTRY.label, restricted_industry),
    Rule(Reason.OPEN_SIGNAL, Reason.OPEN_SIGNAL.label, open_signal),
)


def flagged_loans(*, as_of, branch_ids=None) -> dict[int, dict[str, str]]:
    """Every candidate loan some rule flags: loan id -> {rule code: detail}, rules in order."""
    candidates = candidate_loans(branch_ids)
    found: dict[int, dict[str, str]] = {}
    for rule in RULES:
        for loan_id, detail in rule.function(candidates, as_of=as_of).items():
            found.setdefault(loan_id, {})[str(rule.code)] = detail
    return found
