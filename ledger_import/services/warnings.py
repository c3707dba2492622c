"""What an import reports about rows it writes differently from the file, or flags for review."""

from django.utils.translation import gettext_lazy as _

from ledger_import.parsing import Issue, bilingual
from ledger_import.rows import CHINESE_CLASS
from loans.models import PolicyLevel
from loans.selectors import industry_policy_for

INDUSTRY_WARNINGS_LISTED = 1000


def refused_loans(cursor, allowed_branch_ids) -> list[Issue]:
    """Loan numbers already booked at a branch the user cannot see: they are not theirs."""
    cursor.execute(
        "SELECT s.row_no, s.loan_no FROM ledger_stage s JOIN loans_loan l ON l.loan_no = s.loan_no "
        "WHERE NOT (l.branch_id = ANY(%s)) ORDER BY s.row_no",
        [list(allowed_branch_ids)],
    )
    return [
        Issue(
            row_no,
            "借据号",
            bilingual(_("Loan %(loan_no)s belongs to a branch you cannot import for."), {"loan_no": loan_no}),
        )
        for row_no, loan_no in cursor.fetchall()
    ]


def class_kept_warnings(cursor) -> list[Issue]:
    """Staged rows whose class is better than the recorded one (read before the merge)."""
    cursor.execute(
        "SELECT s.row_no, s.loan_no, s.risk_class, l.risk_class FROM ledger_stage s "
        "JOIN loans_loan l ON l.loan_no = s.loan_no WHERE s.risk_class < l.risk_class ORDER BY s.row_no"
    )
    return [
        Issue(
            row_no,
            "五级分类",
            bilingual(
                _(
                    "Loan %(loan_no)s keeps its class %(kept)s; the file says %(given)s. A better class needs the branch head's approval."
                ),
                {"loan_no": loan_no, "kept": CHINESE_CLASS[kept], "given": CHINESE_CLASS[given]},
            ),
        )
        for row_no, loan_no, given, kept in cursor.fetchall()
    ]


def stale_row_warnings(cursor) -> list[Issue]:
    """Staged rows older than the recorded figures (read before the merge, which skips them)."""
    cursor.execute(
        "SELECT s.row_no, s.loan_no, l.as_of FROM ledger_stage s JOIN loans_loan l ON l.loan_no = s.loan_no "
        "WHERE l.as_of > s.as_of ORDER BY s.row_no"
    )
    return [
        Issue(
            row_no,
            "数据日期",
            bilingual(
                _("Loan %(loan_no)s already has newer figures (as of %(date)s); this row was skipped."),
                {"loan_no": loan_no, "date": recorded},
            ),
        )
        for row_no, loan_no, recorded in cursor.fetchall()
    ]


def industry_policy_warnings(cursor) -> list[Issue]:
    """Staged rows whose borrower is in a restricted or prohibited industry (the ledger's
    industry policy by GB/T 4754 code): the import report flags them for strict review."""
    cursor.execute("SELECT DISTINCT industry_code FROM ledger_stage WHERE industry_code <> ''")
    codes = {code for (code,) in cursor.fetchall()}
    flagged = {code: policy for code, policy in industry_policy_for(codes).items() if policy.is_flagged}
    if not flagged:
        return []
    cursor.execute(
        "SELECT row_no, industry_code, count(*) OVER () FROM ledger_stage WHERE industry_code = ANY(%s) "
        "ORDER BY row_no LIMIT %s",
        [list(flagged), INDUSTRY_WARNINGS_LISTED],
    )
    hits = cursor.fetchall()
    issues = []
    for row_no, code, _count in hits:
        policy = flagged[code]
        issues.append(
            Issue(
                row_no,
                "行业代码",
                bilingual(
                    _("Industry %(code)s (%(name)s) is %(level)s under the industry policy: strict review."),
                    {"code": code, "name": policy.name, "level": PolicyLevel(policy.level).label},
                ),
            )
        )
    total = hits[0][2]
    if total > INDUSTRY_WARNINGS_LISTED:
        issues.append(
            Issue(
                0,
                "行业代码",
                bilingual(
                    _("%(count)d rows in all are in restricted or prohibited industries."),
                    {"count": total},
                ),
            )
        )
    return issues
