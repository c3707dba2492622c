"""Demo collection data, built on the ledger demo (run after it): cases at every stage,
plans with measures, a month of contacts, kept and broken promises, one 钉子户 with the
branch head, one case in court. Does nothing when the ledger has no overdue loans, and
nothing again once the demo contacts exist."""

import datetime as dt
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from core.demo_output import say
from loan_collections import services
from loan_collections.contact_policy import SHANGHAI, contact_window
from loan_collections.models import OPEN_STAGES, CollectionCase, ContactAttempt, LegalStage, Stage
from loan_collections.selectors import branch_head_of, rules_for_branch
from loans.models import Loan, LoanStatus, Repayment, RepaymentSource

DEMO_REFERENCE = "DEMO-COLLECTIONS-{}"


def _allowed_moments(case, today, count):
    """``count`` allowed call times in the last 30 days, oldest first, two per week at most;
    never before the case was opened nor before any of the borrower's loans was disbursed."""
    rules = rules_for_branch(case.branch_id)
    moments, per_week = [], {}
    disbursed = case.borrower.loans.aggregate(latest=Max("disbursed_on"))["latest"] or case.opened_on
    day = max(today - dt.timedelta(days=30), case.opened_on, disbursed)
    while day < today and len(moments) < count:
        moment = dt.datetime.combine(day, dt.time(10, 30), tzinfo=SHANGHAI)
        week = day.isocalendar()[:2]
        if per_week.get(week, 0) < 2 and contact_window(moment, rules).allowed:
            moments.append(moment)
            per_week[week] = per_week.get(week, 0) + 1
        day += dt.timedelta(days=3)
    return moments


def _contact(case, by, moment, **kwargs):
    values = {"channel": "phone", "party": "borrower", "outcome": "no_answer"}
    values.update(kwargs)
    return services.contact_log(case=case, by=by, contacted_at=moment, now=moment, **values)


def _contacts_and_promise(case, *, today, kept: bool) -> None:
    """A few unanswered calls, then a promise; a kept promise gets its repayment."""
    moments = _allowed_moments(case, today, 4)
    for moment in moments[:-1]:
        _contact(case, case.officer, moment, notes="电话未接通，已发短信提醒")
    if not moments:
        return
    last = moments[-1]
    promised_on = last.date() + dt.timedelta(days=3)
    contact = _contact(
        case,
        case.officer,
        last,
        outcome="promise",
        promise_amount=min(case.overdue_amount, Decimal("2000.00")) or Decimal("500.00"),
        promise_date=min(promised_on, today),
        notes="借款人承诺近日还款",
        next_step="核实还款是否到账",
    )
    if kept:  # the money arrived on the promised day
        loan = case.borrower.loans.filter(status=LoanStatus.ACTIVE).first()
        Repayment.objects.get_or_create(
            source=RepaymentSource.STAFF,
            reference=DEMO_REFERENCE.format(contact.promise.pk),
            defaults={
                "loan": loan,
                "paid_on": contact.promise.due_on,
                "principal": contact.promise.amount,
                "interest": Decimal("0.00"),
            },
        )


def _measures(plan_cases, *, today) -> None:
    for plan_case in plan_cases:
        plan = plan_case.plans.first()
        if plan is None:
            continue
        for kind, days in (("visit", 7), ("employer", 14)):
            services.plan_measure_add(
                plan=plan,
                by=plan_case.officer,
                kind=kind,
                owner=plan_case.officer,
                target_date=today + dt.timedelta(days=days),
            )


def _court_case(court, *, head, today) -> None:
    if court.stage == Stage.REMINDER:
        services.case_move(case=court, to_stage=Stage.INTENSIVE, by=court.officer, reason="多次催收无果")
    services.case_move(case=court, to_stage=Stage.LEGAL, by=head, reason="还款无望，及时起诉")
    court.refresh_from_db()
    action = services.legal_action_record(
        case=court,
        by=head,
        filed_on=today - dt.timedelta(days=10),
        court="衡东县人民法院",
        court_case_no=f"({today.year})湘0424民初{court.pk:04d}号",
        claim_amount=max(court.overdue_amount, Decimal("1.00")),
    )
    services.legal_action_update(action=action, by=head, stage=LegalStage.FILED, outcome="已立案，等待开庭")


def _nail_household(nail, *, head, today) -> None:
    """钉子户: the branch head joins the case and works on it through the relatives."""
    services.case_move(
        case=nail,
        to_stage=Stage.ESCALATED,
        by=nail.officer,
        reason="钉子户：多次承诺不兑现，请支行负责人一同上门",
    )
    moment = _allowed_moments(nail, today, 1)
    if moment:
        _contact(
            nail,
            head,
            moment[0] + dt.timedelta(hours=4),
            channel="relatives",
            party="third_party",
            notes="支行负责人与客户经理通过亲属做工作",
        )


def _closed_case(*, today) -> None:
    """An at-risk borrower whose loans are all current, opened and closed by hand."""
    current = (
        Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due=0)
        .exclude(borrower__collection_cases__isnull=False)
        .select_related("borrower", "officer")
        .first()
    )
    if current is not None:
        case = services.case_open(
            borrower=current.borrower, by=current.officer, as_of=today, reason="单位经营困难，提前关注"
        )
        services.case_move(case=case, to_stage=Stage.CLOSED, by=current.officer, reason="按期还款，风险解除")


def seed(*, stdout=None) -> None:
    if not Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due__gt=0).exists():
        say(stdout, "collections: no overdue loans in the ledger, nothing to do")
        return
    if ContactAttempt.objects.exists():
        say(stdout, "collections: demo data already there")
        return
    today = timezone.localdate()
    # The cases were opened a month ago (the demo's contacts go back 30 days, and a contact
    # cannot be older than its case), then brought up to date today.
    services.cases_sync(as_of=today - dt.timedelta(days=31))
    services.cases_sync(as_of=today)
    cases = list(CollectionCase.objects.filter(stage__in=OPEN_STAGES).select_related("borrower", "officer"))
    head = branch_head_of(cases[0].branch_id)
    planned = max(1, len(cases) // 2)
    for index, case in enumerate(cases):
        _contacts_and_promise(case, today=today, kept=index % 2 == 0)
        if index < planned:
            services.plan_create(
                case=case,
                by=case.officer,
                year=today.year,
                strategy="一户一策：先电话、短信，再上门，必要时联系单位",
            )
    services.promises_check(at=dt.datetime.combine(today, dt.time(16, 0), tzinfo=SHANGHAI))
    _measures(cases[:planned], today=today)
    # Stages: keep the longest overdue for court, the next for the branch head (钉子户).
    by_days = sorted(cases, key=lambda case: -case.days_past_due)
    if head is not None and len(by_days) >= 2:
        _court_case(by_days[0], head=head, today=today)
        _nail_household(by_days[1], head=head, today=today)
    _closed_case(today=today)
    say(stdout, f"collections: {len(cases)} cases with contacts, promises, plans; one in court, one 钉子户")
