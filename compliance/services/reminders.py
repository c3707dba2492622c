"""The daily compliance reminders: overdue acknowledgements and missed morning meetings."""

import datetime as dt

from django.utils import timezone

from accounts.models import Role, StaffProfile
from compliance.models import Acknowledgement
from compliance.selectors import ACK_OVERDUE_DAYS, staff_figures
from compliance.services.training import monday_of
from notifications.services import email_queue

ACK_OVERDUE_KIND = "compliance_ack_overdue"
MISSED_MEETINGS_KIND = "compliance_missed_meetings"
# How far back the reminder looks for two missed Monday meetings in a row.
MISSED_MEETINGS_WINDOW_DAYS = 28


def compliance_reminders_send(*, today: dt.date) -> int:
    """Email each staff member with an acknowledgement outstanding for over 7 days, and each
    who missed the last two morning meetings. One email per reason per week: the key date
    is the Monday of the week, so the daily job sends nothing twice. Returns how many
    emails were queued now."""
    week = monday_of(today)
    now = timezone.now()
    queued = 0
    overdue: dict[int, list[Acknowledgement]] = {}
    for ack in (
        Acknowledgement.objects.filter(
            acknowledged_at__isnull=True,
            regulation__superseded_by__isnull=True,
            requested_at__lte=now - dt.timedelta(days=ACK_OVERDUE_DAYS),
            staff__is_active=True,
        )
        .select_related("regulation", "staff__profile")
        .order_by("requested_at")
    ):
        overdue.setdefault(ack.staff_id, []).append(ack)
    for acks in overdue.values():
        staff = acks[0].staff
        if not staff.email:
            continue
        _email, created = email_queue(
            kind=ACK_OVERDUE_KIND,
            key_date=week,
            recipient=staff,
            template="compliance/emails/ack_overdue",
            context={"name": staff.profile.full_name, "acknowledgements": acks, "days": ACK_OVERDUE_DAYS},
        )
        queued += created
    profiles = (
        StaffProfile.objects.filter(user__is_active=True).exclude(role=Role.ADMIN).exclude(user__email="")
    ).select_related("user")
    start = today - dt.timedelta(days=MISSED_MEETINGS_WINDOW_DAYS)
    for figures in staff_figures(profiles=list(profiles), start=start, end=today, now=now):
        # Reminded for the week of the second missed meeting, not again every week after.
        if figures.missed_in_a_row < 2 or figures.last_missed_on < today - dt.timedelta(days=6):
            continue
        _email, created = email_queue(
            kind=MISSED_MEETINGS_KIND,
            key_date=week,
            recipient=figures.profile.user,
            template="compliance/emails/missed_meetings",
            context={"name": figures.profile.full_name, "missed": figures.missed_in_a_row},
        )
        queued += created
    return queued
