"""Demo required actions for the demo ledger: the default templates, and for the existing
loans a realistic spread of done (most on time, a few done a few days late, some accepted,
one or two returned), pending, and a handful of late actions with their penalties. The demo
branch is a model branch (ten years without a non-performing loan): an officer has at most
two late actions, all from the last days, so the head reviews a few penalties, not hundreds.
Runs after the ledger demo; with no loans it only seeds the templates. Running it again
changes nothing: actions are unique per loan, template and due date, and only past-due
pending actions are touched, once."""

import datetime as dt
from collections import Counter

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role, StaffProfile
from core.demo_output import say
from loans.models import Borrower, BorrowerType, Collateral, Guarantor, Loan, LoanStatus
from post_loan.models import ActionStatus, RecordField, RequiredAction
from post_loan.services import (
    action_templates_seed,
    required_action_complete,
    required_action_review,
    required_actions_generate,
    required_actions_mark_late,
)

HISTORY_DAYS = 120
# Left undone (late, with a penalty): per officer at most LATE_PER_OFFICER, due in the last
# LATE_WINDOW_DAYS, and at most LATE_IN_BRANCH in all; every other past action was done.
LATE_PER_OFFICER = 2
LATE_WINDOW_DAYS = 10
LATE_IN_BRANCH = 8


# Work done in these last days still waits for the head's review.
RECENT_DAYS = 7


def _left_late(actions, *, already_late, today: dt.date) -> set[int]:
    """The ids of the few past-due actions the demo leaves undone: the officers in name
    order, each their most recent ones first, so officer1 always has one to show. Actions
    already late (an earlier run, or ones raised since by the screening demo) count first."""
    per_officer = Counter(action.responsible_id for action in already_late)
    room = LATE_IN_BRANCH - len(already_late)
    recent = [action for action in actions if action.due_on >= today - dt.timedelta(days=LATE_WINDOW_DAYS)]
    chosen: list[int] = []
    for action in sorted(
        recent, key=lambda action: (action.responsible.username, -action.due_on.toordinal())
    ):
        if len(chosen) >= room:
            break
        if per_officer[action.responsible_id] < LATE_PER_OFFICER:
            per_officer[action.responsible_id] += 1
            chosen.append(action.pk)
    return set(chosen)


# Coming due (到期预警) for every demo officer: days from today of each date set.
INSURANCE_DAYS = (20, -5)  # one expiring soon, one expired already
REVALUATION_DAYS = 15
LICENCE_DAYS = 45
GUARANTEE_DAYS = 25


def _first(queryset):
    """The first row of a loan at least 100 days from maturity (every date set falls before it)."""
    return queryset.order_by("pk").first()


def _revaluations(collateral, *, today: dt.date) -> int:
    """A model branch revalues its collateral yearly: the ledger demo's appraisals at
    disbursement become recent revaluations, but for one due in REVALUATION_DAYS and one a
    week overdue, so that both show."""
    items = list(collateral.filter(appraised_on__lt=today - dt.timedelta(days=300)).order_by("pk"))
    for index, item in enumerate(items):
        if index == 0:
            item.appraised_on = today - dt.timedelta(days=365 - REVALUATION_DAYS)
        elif index == 1:
            item.appraised_on = today - dt.timedelta(days=365 + 7)
        else:
            item.appraised_on = today - dt.timedelta(days=30 + item.pk % 240)
    Collateral.objects.bulk_update(items, ["appraised_on"])
    return len(items)


def _coming_due_dates(today: dt.date) -> int:
    """Give each demo officer one item of each coming-due kind on their own loans, once: an
    officer who has such a date already is left alone, so running the demo again changes
    nothing. Loans maturing within 90 days come from the ledger demo itself."""
    far = today + dt.timedelta(days=100)
    mine = Loan.objects.filter(status=LoanStatus.ACTIVE, matures_on__gt=far)
    changed = 0
    for officer_id in StaffProfile.objects.filter(role=Role.OFFICER).values_list("user_id", flat=True):
        loans = mine.filter(officer_id=officer_id)
        collateral = Collateral.objects.filter(loan__in=loans)
        if not collateral.filter(insurance_expires_on__isnull=False).exists():
            for days, item in zip(
                INSURANCE_DAYS, collateral.order_by("pk")[: len(INSURANCE_DAYS)], strict=False
            ):
                item.insurance_expires_on = today + dt.timedelta(days=days)
                item.save(update_fields=["insurance_expires_on"])
                changed += 1
            changed += _revaluations(collateral, today=today)
        borrowers = Borrower.objects.filter(loans__in=loans, borrower_type=BorrowerType.CORPORATE)
        if not Borrower.objects.filter(officer_id=officer_id, licence_expires_on__isnull=False).exists():
            changed += Borrower.objects.filter(pk=getattr(_first(borrowers), "pk", None)).update(
                licence_expires_on=today + dt.timedelta(days=LICENCE_DAYS)
            )
        guarantors = Guarantor.objects.filter(loan__in=loans)
        if not Guarantor.objects.filter(
            loan__officer_id=officer_id, guarantee_ends_on__isnull=False
        ).exists():
            changed += Guarantor.objects.filter(pk=getattr(_first(guarantors), "pk", None)).update(
                guarantee_ends_on=today + dt.timedelta(days=GUARANTEE_DAYS)
            )
    return changed


def seed(*, stdout=None) -> None:
    templates = action_templates_seed()
    if not Loan.objects.filter(status=LoanStatus.ACTIVE).exists():
        say(stdout, f"required actions: {templates} templates; no loans yet, no actions")
        return
    today = timezone.localdate()
    dated = _coming_due_dates(today)
    created = required_actions_generate(as_of=today, earliest=today - dt.timedelta(days=HISTORY_DAYS))
    heads = {
        profile.branch_id: profile.user
        for profile in StaffProfile.objects.filter(role=Role.BRANCH_HEAD).select_related("user")
    }
    past_due = list(
        RequiredAction.objects.filter(status=ActionStatus.PENDING, due_on__lt=today, loan__isnull=False)
        .select_related("template", "loan", "responsible")
        .order_by("id")
    )
    already_late = list(RequiredAction.objects.filter(status=ActionStatus.LATE).only("responsible_id"))
    left_late = _left_late(past_due, already_late=already_late, today=today)
    done = 0
    for action in past_due:
        # Every past action was done but a few recent ones: most on time, every fourth a few days late.
        if action.pk in left_late:
            continue
        late_by = 3 if action.pk % 4 == 0 else -(action.pk % 3)
        completed_on = min(today, max(action.loan.disbursed_on, action.due_on + dt.timedelta(days=late_by)))
        needs_file = RecordField.ATTACHMENTS in action.template.required_fields
        evidence = ContentFile("现场检查照片说明：厂房、设备运转正常。".encode(), name="现场检查记录.txt")
        required_action_complete(
            action=action,
            user=action.responsible,
            completed_on=completed_on,
            findings="借款人经营正常，按期还款，未发现风险信号。",
            site_visit=True,
            collateral_seen=True,
            cash_flow_notes="银行流水与销售收入基本匹配。",
            operations_notes="生产正常，订单饱满。",
            environment_notes="无环保处罚记录。",
            market_notes="产品价格平稳。",
            files=[evidence] if needs_file else [],
        )
        done += 1
        head = heads.get(action.branch_id)
        if head is None:
            continue
        # A model branch reviews its actions promptly: the head has looked at everything but the
        # last days' work, and sent back only the odd one.
        if completed_on >= today - dt.timedelta(days=RECENT_DAYS):
            continue
        if action.pk % 97 == 0:
            required_action_review(
                action=action, user=head, accepted=False, comment="现金流分析过于简单，请补充近三个月流水。"
            )
        else:
            required_action_review(action=action, user=head, accepted=True)
    late = required_actions_mark_late(as_of=today)
    say(
        stdout,
        f"required actions: {templates} templates, {created} actions created, {done} recorded done, "
        f"{late} marked late; {dated} coming-due dates set",
    )
