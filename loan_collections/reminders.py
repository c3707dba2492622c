"""The day-20/25 collection reminder emails (the key collection period opens after the 20th
and the 25th of every month).

Each officer gets their worklist: borrowers with an instalment due this month not yet paid,
overdue borrowers (stage, amount, days past due, next action) and promises falling due this
month; each branch head a summary per officer. Built with a constant number of queries
whatever the number of officers and loans (one query per kind of row, grouped in Python),
then queued as OutgoingEmail rows: the unique (kind, date, recipient) key makes a second run
queue nothing."""

import calendar
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from accounts.access import COLLECTION_ROLES, descendant_branch_ids
from accounts.models import Branch, Role, StaffProfile
from core.formatting import format_date, format_yuan
from loan_collections.models import OPEN_STAGES, CollectionCase, PromiseStatus, PromiseToPay, Stage
from loans.models import LoanStatus, RepaymentMethod, ScheduleLine
from loans.services import personal_data_in_email
from notifications.models import OutgoingEmail
from notifications.services import email_enqueue_many, email_queue_many

WORKLIST_KIND = "collection_worklist"
SUMMARY_KIND = "collection_summary"
ZERO = Decimal("0.00")
STAGE_LABELS = dict(Stage.choices)
# Corporate loans whose interest is settled on the 20th (按月结息, 按季结息): their lines are
# interest-settlement days (结息日), shown as such in the worklist.
SETTLEMENT_METHODS = {RepaymentMethod.MONTHLY_SETTLEMENT, RepaymentMethod.QUARTERLY_SETTLEMENT}


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def reminder_worklists(*, day: dt.date, officer_ids: list[int]) -> dict[int, dict]:
    """Per officer id: the rows of their worklist email. Three queries.

    Dates and amounts are formatted here, once per row (core.formatting, the rule every page
    uses), not by template filters in both the text and the HTML part: at a province's 2,000
    officers and 150 rows each, the filters were a third of the run."""
    first, last = _month_bounds(day)
    lists: dict[int, dict] = {
        officer_id: {
            "instalments": [],
            "overdue": [],
            "promises": [],
            "instalment_total": ZERO,
            "overdue_total": ZERO,
        }
        for officer_id in officer_ids
    }
    instalments = (
        ScheduleLine.objects.filter(
            due_on__gte=first,
            due_on__lte=last,
            paid_on__isnull=True,
            loan__status=LoanStatus.ACTIVE,
            loan__officer_id__in=officer_ids,
        )
        .order_by("loan__officer_id", "due_on", "loan__loan_no")
        .values_list(
            "loan__officer_id",
            "loan__borrower__name",
            "loan__borrower__phone",
            "loan__loan_no",
            "due_on",
            F("principal_due") + F("interest_due") - F("principal_paid") - F("interest_paid"),
            "loan__repayment_method",
        )
    )
    for officer_id, name, phone, loan_no, due_on, outstanding, method in instalments.iterator(
        chunk_size=5000
    ):
        entry = lists[officer_id]
        entry["instalments"].append(
            {
                "borrower": name,
                "phone": personal_data_in_email(phone),
                "loan_no": loan_no,
                "due_on": format_date(due_on),
                "amount": format_yuan(outstanding),
                "interest_settlement": method in SETTLEMENT_METHODS,
            }
        )
        entry["instalment_total"] += outstanding
    cases = (
        CollectionCase.objects.filter(stage__in=OPEN_STAGES, officer_id__in=officer_ids)
        .order_by("officer_id", "-days_past_due")
        .values_list(
            "officer_id",
            "borrower__name",
            "borrower__phone",
            "stage",
            "overdue_amount",
            "days_past_due",
            "next_action",
            "next_action_on",
        )
    )
    for officer_id, name, phone, stage, amount, days, next_action, next_on in cases.iterator(chunk_size=5000):
        entry = lists[officer_id]
        entry["overdue"].append(
            {
                "borrower": name,
                "phone": personal_data_in_email(phone),
                "stage": STAGE_LABELS[stage],
                "amount": format_yuan(amount),
                "days": days,
                "next_action": next_action,
                "next_action_on": format_date(next_on) if next_on else "",
            }
        )
        entry["overdue_total"] += amount
    promises = (
        PromiseToPay.objects.filter(
            status=PromiseStatus.PENDING, due_on__gte=day, due_on__lte=last, officer_id__in=officer_ids
        )
        .order_by("officer_id", "due_on")
        .values_list("officer_id", "case__borrower__name", "case__borrower__phone", "amount", "due_on")
    )
    for officer_id, name, phone, amount, due_on in promises:
        lists[officer_id]["promises"].append(
            {
                "borrower": name,
                "phone": personal_data_in_email(phone),
                "amount": format_yuan(amount),
                "due_on": format_date(due_on),
            }
        )
    return lists


@transaction.atomic
def reminders_send(*, day: dt.date, branch_ids: list[int] | None = None) -> dict[str, int]:
    """Queue the worklist of every officer and the summary of every branch head for ``day``
    (the 20th or 25th; any date when run by hand). Safe to run twice: nothing is queued
    again. Returns how many emails were queued now and how many existed already."""
    staff = StaffProfile.objects.filter(role__in=COLLECTION_ROLES).select_related("user")
    if branch_ids is not None:
        staff = staff.filter(branch_id__in=branch_ids)
    staff = [profile for profile in staff if profile.user.is_active and profile.user.email]
    officers = [profile for profile in staff if profile.role == Role.OFFICER]
    heads = [profile for profile in staff if profile.role == Role.BRANCH_HEAD]
    already = set(
        OutgoingEmail.objects.filter(kind__in=[WORKLIST_KIND, SUMMARY_KIND], key_date=day).values_list(
            "kind", "recipient_id"
        )
    )
    pending_heads = [head for head in heads if (SUMMARY_KIND, head.user_id) not in already]
    pending_officers = [officer for officer in officers if (WORKLIST_KIND, officer.user_id) not in already]
    # Summaries need every officer's figures; worklists only the officers still to mail.
    wanted = officers if pending_heads else pending_officers
    lists = reminder_worklists(day=day, officer_ids=[profile.user_id for profile in wanted])
    worklists = email_queue_many(
        kind=WORKLIST_KIND,
        key_date=day,
        items=(
            (
                profile.user,
                "loan_collections/emails/worklist",
                {"name": profile.full_name, "day": day, **lists[profile.user_id]},
            )
            for profile in pending_officers
        ),
    )
    summaries = []
    if pending_heads:
        edges = list(Branch.objects.values_list("id", "parent_id"))
        summaries = email_queue_many(
            kind=SUMMARY_KIND,
            key_date=day,
            items=(
                (
                    head.user,
                    "loan_collections/emails/summary",
                    _summary_context(head, day, officers, lists, edges),
                )
                for head in pending_heads
            ),
        )
    created_ids = worklists + summaries
    existing = len(officers) + len(heads) - len(created_ids)
    email_enqueue_many(email_ids=created_ids)
    return {"queued": len(created_ids), "existing": existing}


def _summary_context(head, day: dt.date, officers, lists: dict[int, dict], edges) -> dict:
    """A branch head's summary: one row per officer of the head's branch and those under it."""
    branch_set = descendant_branch_ids(head.branch_id, edges)
    rows = [
        {
            "officer": profile.full_name,
            "instalments": len(lists[profile.user_id]["instalments"]),
            "instalment_total": lists[profile.user_id]["instalment_total"],
            "overdue": len(lists[profile.user_id]["overdue"]),
            "overdue_total": lists[profile.user_id]["overdue_total"],
            "promises": len(lists[profile.user_id]["promises"]),
        }
        for profile in officers
        if profile.branch_id in branch_set
    ]
    return {
        "name": head.full_name,
        "day": day,
        "rows": rows,
        "overdue_total": sum((row["overdue_total"] for row in rows), ZERO),
        "instalment_total": sum((row["instalment_total"] for row in rows), ZERO),
    }
