"""Reads for the compliance app, each scoped through accounts.access."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.access import role_of, scope_queryset, visible_branch_ids
from accounts.models import Branch, Role, StaffProfile
from accounts.selectors import staff_visible_to
from compliance.models import (
    ATTENDED,
    Acknowledgement,
    Attempt,
    Attendance,
    AttendanceStatus,
    GiftDeclaration,
    KnowledgeTest,
    MeetingProblem,
    ProblemStatus,
    Question,
    Regulation,
    TrainingKind,
    TrainingSession,
    Violation,
    ViolationStatus,
)

# An acknowledgement still outstanding this many days after it was asked for is overdue.
ACK_OVERDUE_DAYS = 7
# Below this attendance rate (attended / recorded sessions) a staff member is behind.
ATTENDANCE_TARGET = Decimal("0.80")


def violations_visible_to(user) -> QuerySet[Violation]:
    """An officer sees their own violations; the branch head and compliance see the branch."""
    return scope_queryset(
        Violation.objects.select_related("staff__profile", "branch", "approved_by__profile", "regulation"),
        user,
        officer_field="staff",
    )


def gifts_visible_to(user) -> QuerySet[GiftDeclaration]:
    """Staff see their own declarations; the branch head and compliance see the branch."""
    return scope_queryset(
        GiftDeclaration.objects.select_related(
            "staff__profile", "branch", "borrower", "reviewed_by__profile", "violation"
        ),
        user,
        officer_field="staff",
    )


def regulations_visible_to(user) -> QuerySet[Regulation]:
    """Regulations for every branch, and those for a branch the user sees or works under."""
    if role_of(user) is None:
        return Regulation.objects.none()
    if role_of(user) == Role.ADMIN:
        return Regulation.objects.all()
    branch_ids = set(visible_branch_ids(user))
    branch = Branch.objects.filter(id__in=branch_ids, staff__user=user).first()
    while branch is not None:  # the user's own branch and those above it
        branch_ids.add(branch.pk)
        branch = branch.parent
    matching = Regulation.objects.filter(applies_to_branches__in=branch_ids).values("pk")
    return Regulation.objects.filter(Q(applies_to_branches__isnull=True) | Q(pk__in=matching)).distinct()


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    # Sessions are shared by every staff member of a branch.
    return scope_queryset(
        TrainingSession.objects.select_related("branch", "presenter__profile"), user, officer_field=None
    )


def tests_visible_to(user) -> QuerySet[KnowledgeTest]:
    return scope_queryset(KnowledgeTest.objects.select_related("branch"), user, officer_field=None)


def attempts_visible_to(user) -> QuerySet[Attempt]:
    return scope_queryset(
        Attempt.objects.select_related("test", "staff__profile"), user, officer_field="staff"
    )


def acknowledgements_visible_to(user) -> QuerySet[Acknowledgement]:
    return scope_queryset(
        Acknowledgement.objects.select_related("regulation", "staff__profile"), user, officer_field="staff"
    )


def problems_visible_to(user) -> QuerySet[MeetingProblem]:
    return scope_queryset(
        MeetingProblem.objects.select_related("owner__profile", "meeting"), user, officer_field=None
    )


def questions_for(user) -> QuerySet[Question]:
    """The question bank: about regulations the user sees, or about a topic."""
    return (
        Question.objects.filter(Q(regulation__isnull=True) | Q(regulation__in=regulations_visible_to(user)))
        .select_related("regulation")
        .prefetch_related("choices")
    )


def outstanding_acknowledgements(*, staff) -> QuerySet[Acknowledgement]:
    """The staff member's acknowledgements still to confirm, for current regulations."""
    return (
        Acknowledgement.objects.filter(
            staff=staff, acknowledged_at__isnull=True, regulation__superseded_by__isnull=True
        )
        .select_related("regulation")
        .order_by("requested_at")
    )


def carried_problems(*, meeting: TrainingSession) -> QuerySet[MeetingProblem]:
    """Problems raised at earlier meetings of the branch that were still open when this
    meeting was held: open now, or resolved on or after its date."""
    return (
        MeetingProblem.objects.filter(branch_id=meeting.branch_id, meeting__held_on__lt=meeting.held_on)
        .filter(Q(status=ProblemStatus.OPEN) | Q(resolved_on__gte=meeting.held_on))
        .select_related("owner__profile", "meeting")
        .order_by("due_on", "id")
    )


def previous_meeting(*, meeting: TrainingSession) -> TrainingSession | None:
    return (
        TrainingSession.objects.filter(
            branch_id=meeting.branch_id, kind=TrainingKind.MORNING_MEETING, held_on__lt=meeting.held_on
        )
        .order_by("-held_on")
        .first()
    )


# --- Per-staff compliance figures -------------------------------------------------------


@dataclass
class StaffFigures:
    """One row of the branch table (and the header of a staff member's record)."""

    profile: StaffProfile
    training_minutes: int = 0
    attended: int = 0
    recorded: int = 0
    outstanding_acks: int = 0
    overdue_acks: int = 0
    scores: list[Decimal] = field(default_factory=list)
    last_passed: bool | None = None
    violations: int = 0
    fines: Decimal = Decimal("0.00")
    missed_in_a_row: int = 0
    last_missed_on: dt.date | None = None

    @property
    def training_hours(self) -> Decimal:
        return (Decimal(self.training_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def attendance_rate(self) -> Decimal | None:
        if not self.recorded:
            return None
        return (Decimal(self.attended) / Decimal(self.recorded)).quantize(Decimal("0.001"))

    @property
    def attendance_percent(self) -> Decimal | None:
        rate = self.attendance_rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"))

    @property
    def average_score(self) -> Decimal | None:
        if not self.scores:
            return None
        return (sum(self.scores) / len(self.scores)).quantize(Decimal("0.1"))

    @property
    def behind_reasons(self) -> list[str]:
        from django.utils.translation import gettext as _

        reasons = []
        if self.overdue_acks:
            reasons.append(_("acknowledgement overdue"))
        if self.attendance_rate is not None and self.attendance_rate < ATTENDANCE_TARGET:
            reasons.append(_("attendance below 80%"))
        if self.missed_in_a_row >= 2:
            reasons.append(_("missed two meetings in a row"))
        if self.last_passed is False:
            reasons.append(_("failed the last test"))
        return reasons

    @property
    def is_behind(self) -> bool:
        return bool(self.behind_reasons)


def staff_figures(
    *, profiles, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> list[StaffFigures]:
    """Compliance figures for the given staff between ``start`` and ``end`` (inclusive).
    A constant number of queries whatever the number of staff."""
    now = now or timezone.now()
    rows = {profile.user_id: StaffFigures(profile=profile) for profile in profiles}
    ids = list(rows)
    if not ids:
        return []
    in_period = Q(session__held_on__gte=start, session__held_on__lte=end)
    attendance = Attendance.objects.filter(in_period, staff_id__in=ids).exclude(
        status=AttendanceStatus.UNRECORDED
    )
    for row in attendance.values("staff_id", "status").annotate(
        n=Count("id"), minutes=Sum("session__duration_minutes")
    ):
        figures = rows[row["staff_id"]]
        figures.recorded += row["n"]
        if row["status"] in ATTENDED:
            figures.attended += row["n"]
            figures.training_minutes += row["minutes"] or 0
        if row["status"] == AttendanceStatus.EXCUSED:
            # An excused absence is not held against the attendance rate.
            figures.recorded -= row["n"]
    meetings = (
        attendance.filter(session__kind=TrainingKind.MORNING_MEETING)
        .order_by("staff_id", "-session__held_on")
        .values_list("staff_id", "status", "session__held_on")
    )
    streak_open: dict[int, bool] = {}
    for staff_id, status, held_on in meetings:
        if status == AttendanceStatus.EXCUSED or not streak_open.get(staff_id, True):
            continue
        if status == AttendanceStatus.ABSENT:
            rows[staff_id].missed_in_a_row += 1
            rows[staff_id].last_missed_on = rows[staff_id].last_missed_on or held_on
        else:
            streak_open[staff_id] = False
    overdue_before = now - dt.timedelta(days=ACK_OVERDUE_DAYS)
    for row in (
        Acknowledgement.objects.filter(
            staff_id__in=ids, acknowledged_at__isnull=True, regulation__superseded_by__isnull=True
        )
        .values("staff_id")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(requested_at__lte=overdue_before)))
    ):
        rows[row["staff_id"]].outstanding_acks = row["n"]
        rows[row["staff_id"]].overdue_acks = row["overdue"]
    for staff_id, score, passed in (
        Attempt.objects.filter(
            staff_id__in=ids,
            submitted_at__isnull=False,
            submitted_at__date__gte=start,
            submitted_at__date__lte=end,
        )
        .order_by("submitted_at")
        .values_list("staff_id", "score", "passed")
    ):
        rows[staff_id].scores.append(score)
        rows[staff_id].last_passed = passed
    for row in (
        Violation.objects.filter(staff_id__in=ids, occurred_on__gte=start, occurred_on__lte=end)
        .exclude(status=ViolationStatus.WITHDRAWN)
        .values("staff_id")
        .annotate(n=Count("id"), fines=Sum("fine_amount"))
    ):
        rows[row["staff_id"]].violations = row["n"]
        rows[row["staff_id"]].fines = row["fines"] or Decimal("0.00")
    return list(rows.values())


def branch_figures(*, user, start: dt.date, end: dt.date, branch_ids=None) -> list[StaffFigures]:
    """Every staff member the user sees (an officer: only themself)."""
    profiles = staff_visible_to(user).exclude(role=Role.ADMIN)
    if branch_ids is not None:
        profiles = profiles.filter(branch_id__in=branch_ids)
    return staff_figures(profiles=list(profiles), start=start, end=end)


def year_span(as_of: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(as_of.year, 1, 1), as_of


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def staff_record(*, profile: StaffProfile, year: int, as_of: dt.date) -> dict:
    """Everything on one staff member's compliance record for a year."""
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    figures = staff_figures(profiles=[profile], start=start, end=end)[0]
    user = profile.user
    return {
        "profile": profile,
        "figures": figures,
        "year": year,
        "attendance": Attendance.objects.filter(
            staff=user, session__held_on__gte=start, session__held_on__lte=end
        )
        .select_related("session")
        .order_by("-session__held_on"),
        "attempts": Attempt.objects.filter(staff=user, submitted_at__isnull=False, submitted_at__year=year)
        .select_related("test")
        .order_by("-submitted_at"),
        "outstanding": outstanding_acknowledgements(staff=user),
        "violations": Violation.objects.filter(staff=user, occurred_on__year=year).select_related(
            "approved_by__profile", "regulation"
        ),
        "gifts": GiftDeclaration.objects.filter(staff=user, offered_on__year=year).select_related(
            "borrower", "reviewed_by__profile", "violation"
        ),
    }


def monthly_report(*, user, year: int, month: int, branch_ids=None) -> dict:
    start, end = month_span(year, month)
    sessions = sessions_visible_to(user).filter(held_on__gte=start, held_on__lte=end)
    if branch_ids is not None:
        sessions = sessions.filter(branch_id__in=branch_ids)
    sessions = sessions.annotate(
        attended=Count("attendance", filter=Q(attendance__status__in=ATTENDED)),
        on_roll=Count("attendance"),
    ).order_by("held_on")
    violations = violations_visible_to(user).filter(occurred_on__gte=start, occurred_on__lte=end)
    problems = problems_visible_to(user).filter(meeting__held_on__gte=start, meeting__held_on__lte=end)
    gifts = gifts_visible_to(user).filter(offered_on__gte=start, offered_on__lte=end)
    if branch_ids is not None:
        violations = violations.filter(branch_id__in=branch_ids)
        problems = problems.filter(branch_id__in=branch_ids)
        gifts = gifts.filter(branch_id__in=branch_ids)
    return {
        "start": start,
        "end": end,
        "sessions": list(sessions),
        "figures": branch_figures(user=user, start=start, end=end, branch_ids=branch_ids),
        "violations": list(violations),
        "problems": list(problems.order_by("due_on")),
        "gifts": list(gifts),
    }
