"""Demo restructurings (重组 / 展期), after loans.demo: one extension in its observation
period, one whose period restarted after a missed instalment (flagged by the core system),
one non-performing loan restructured (its class kept), and one proposal awaiting the branch
head. Idempotent: nothing is created when a restructuring exists."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, StaffProfile
from core.demo_output import say
from loans import schedules
from loans.domain import NON_PERFORMING_CLASSES, RiskClass
from loans.models import Loan, LoanStatus, Restructuring, RestructuringKind
from loans.services import (
    classification_propose,
    observation_check,
    restructuring_decide,
    restructuring_import_flags,
    restructuring_propose,
)


def _head_of(loan: Loan):
    profile = StaffProfile.objects.filter(role=Role.BRANCH_HEAD, branch_id=loan.branch_id).first()
    return profile.user if profile else None


def _propose(loan: Loan, kinds: list[str], difficulty: str, *, years: int = 2, rate: Decimal | None = None):
    return restructuring_propose(
        loan=loan,
        proposed_by=loan.officer,
        kinds=kinds,
        difficulty=difficulty,
        new_matures_on=schedules.add_months(
            max(loan.matures_on, timezone.localdate()), 12 * years, loan.repayment_day
        ),
        new_annual_rate=rate if rate is not None else loan.annual_rate,
        new_repayment_method=loan.repayment_method,
        new_repayment_day=loan.repayment_day,
    )


def _candidates():
    return Loan.objects.filter(status=LoanStatus.ACTIVE, matures_on__gt=timezone.localdate()).order_by(
        "loan_no"
    )


def _non_performing(*, exclude: list[int]) -> Loan | None:
    """A non-performing loan; without one in the demo ledger, the officer downgrades a
    corporate loan to 次级 first (a worse class applies at once)."""
    found = (
        Loan.objects.filter(status=LoanStatus.ACTIVE, risk_class__in=NON_PERFORMING_CLASSES)
        .order_by("loan_no")
        .first()
    )
    if found:
        return found
    loan = _candidates().exclude(pk__in=exclude).filter(borrower__borrower_type="corporate").first()
    if loan is None:
        return None
    classification_propose(
        loan=loan,
        to_class=RiskClass.SUBSTANDARD,
        reason="企业停产，主要客户流失，经营性现金流已不足以偿还本息，下调为次级类。",
        proposed_by=loan.officer,
    )
    loan.refresh_from_db()
    return loan


def seed(*, stdout=None) -> None:
    if Restructuring.objects.exists():
        say(stdout, "restructuring: demo restructurings already there")
        return
    today = timezone.localdate()
    current = list(_candidates().filter(risk_class=RiskClass.NORMAL, days_past_due=0)[:2])
    behind = _candidates().filter(days_past_due__gt=0, days_past_due__lte=60).first()
    npl = _non_performing(exclude=[loan.pk for loan in current] + ([behind.pk] if behind else []))
    done = 0
    if current and _head_of(current[0]):
        extension = _propose(
            current[0],
            [RestructuringKind.EXTENSION, RestructuringKind.LOWER_PAYMENT],
            "借款人经营的农家乐受道路施工影响客流下降，现金流紧张，申请展期两年、降低月供。",
        )
        restructuring_decide(
            restructuring=extension,
            decided_by=_head_of(current[0]),
            approve=True,
            note="同意展期，按月跟踪经营。",
        )
        done += 1
    if len(current) > 1:
        _propose(
            current[1],
            [RestructuringKind.LOWER_RATE, RestructuringKind.GRACE],
            "借款人所在养殖场遭受洪灾，申请降低利率并给予六个月宽限期。",
            years=1,
            rate=Decimal("3.4500"),
        )
        done += 1
    if behind:
        # Restructured in the core system eight months ago; an instalment since was missed.
        restructuring_import_flags(flags={behind.pk: today - dt.timedelta(days=240)}, as_of=today)
        observation_check(as_of=today)
        done += 1
    if npl and _head_of(npl):
        refinance = _propose(
            npl, [RestructuringKind.REFINANCE], "企业停产半年，经营性现金流不足以偿还到期本息，申请借新还旧。"
        )
        restructuring_decide(
            restructuring=refinance, decided_by=_head_of(npl), approve=True, note="同意，观察期内维持原分类。"
        )
        done += 1
    say(stdout, f"restructuring: {done} demo restructurings")
