"""Training sessions, their attendance, and the weekly morning meetings with their problems."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import profile_of
from accounts.models import Branch, Role, StaffProfile
from compliance.models import (
    Attendance,
    AttendanceStatus,
    MeetingProblem,
    ProblemStatus,
    TrainingKind,
    TrainingSession,
)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def branch_staff(*, branch_id: int):
    """Who is on a branch's roll: its active staff except administrators."""
    return (
        StaffProfile.objects.filter(branch_id=branch_id, user__is_active=True)
        .exclude(role=Role.ADMIN)
        .select_related("user")
        .order_by("employee_no")
    )


@transaction.atomic
def training_session_create(
    *,
    branch: Branch,
    kind: TrainingKind,
    title: str,
    held_on: dt.date,
    duration_minutes: int = 60,
    presenter=None,
    topics: str = "",
    regulations=(),
    materials=None,
    with_roll: bool = True,
) -> TrainingSession:
    """A training session; with ``with_roll`` every staff member of the branch is on its
    roll (attendance not yet recorded)."""
    session = TrainingSession(
        branch=branch,
        kind=kind,
        title=title,
        held_on=held_on,
        week_of=monday_of(held_on) if kind == TrainingKind.MORNING_MEETING else None,
        duration_minutes=duration_minutes,
        presenter=presenter,
        topics=topics,
    )
    if materials is not None:
        session.materials = materials
    if (
        kind == TrainingKind.MORNING_MEETING
        and TrainingSession.objects.filter(branch=branch, kind=kind, week_of=session.week_of).exists()
    ):
        raise ValidationError({"held_on": _("This branch already has its morning meeting for that week.")})
    session.full_clean(validate_constraints=False)
    session.save()
    session.regulations.set(regulations)
    if with_roll:
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, staff_id=profile.user_id)
                for profile in branch_staff(branch_id=branch.pk)
            ],
            ignore_conflicts=True,
        )
    return session


@transaction.atomic
def training_session_update(*, session: TrainingSession, **fields) -> TrainingSession:
    regulations = fields.pop("regulations", None)
    for name, value in fields.items():
        setattr(session, name, value)
    if session.kind == TrainingKind.MORNING_MEETING:
        session.week_of = monday_of(session.held_on)
    session.full_clean()
    session.save()
    if regulations is not None:
        session.regulations.set(regulations)
    return session


def morning_meeting_title(day: dt.date) -> str:
    return _("Monday morning meeting %(date)s") % {"date": day.isoformat()}


def morning_meeting_branches():
    """Branches that hold a Monday morning meeting: those with loan officers."""
    return Branch.objects.filter(staff__role=Role.OFFICER, staff__user__is_active=True).distinct()


def morning_meetings_create(*, day: dt.date) -> list[TrainingSession]:
    """The week's morning meeting (每周一晨会) for every branch with officers, with the
    branch's staff on its roll. Idempotent per branch per week; returns those created."""
    week = monday_of(day)
    created = []
    for branch in morning_meeting_branches():
        if TrainingSession.objects.filter(
            branch=branch, kind=TrainingKind.MORNING_MEETING, week_of=week
        ).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    training_session_create(
                        branch=branch,
                        kind=TrainingKind.MORNING_MEETING,
                        title=morning_meeting_title(week),
                        held_on=week,
                        duration_minutes=60,
                        presenter=_branch_head_of(branch.pk),
                    )
                )
        except IntegrityError:
            # A second run (another beat, a retried task) created it meanwhile.
            continue
    return created


def _branch_head_of(branch_id: int):
    profile = (
        StaffProfile.objects.filter(branch_id=branch_id, role=Role.BRANCH_HEAD).select_related("user").first()
    )
    return profile.user if profile else None


@transaction.atomic
def attendance_record(
    *, session: TrainingSession, staff, status: AttendanceStatus, reason: str = ""
) -> Attendance:
    """Record one staff member's attendance. Only staff of the session's branch can be on
    its roll; an excused absence needs its reason."""
    profile = profile_of(staff)
    if profile is None or profile.branch_id != session.branch_id:
        raise ValidationError(
            {
                "staff": _("%(name)s is not on the staff of %(branch)s.")
                % {
                    "name": profile.full_name if profile else staff.get_username(),
                    "branch": session.branch.name,
                }
            }
        )
    reason = reason.strip()
    if status == AttendanceStatus.EXCUSED and not reason:
        raise ValidationError({"reason": _("An excused absence needs its reason.")})
    attendance, _created = Attendance.objects.update_or_create(
        session=session, staff=staff, defaults={"status": status, "reason": reason}
    )
    return attendance


@transaction.atomic
def attendance_record_many(*, session: TrainingSession, entries: list[tuple]) -> list[Attendance]:
    """Several (staff, status, reason) at once: all saved, or none if one is refused."""
    return [
        attendance_record(session=session, staff=staff, status=status, reason=reason)
        for staff, status, reason in entries
    ]


@transaction.atomic
def meeting_minutes_save(*, meeting: TrainingSession, work_reviewed: str) -> TrainingSession:
    meeting.work_reviewed = work_reviewed
    meeting.save(update_fields=["work_reviewed"])
    return meeting


@transaction.atomic
def meeting_problem_raise(
    *, meeting: TrainingSession, description: str, owner, due_on: dt.date
) -> MeetingProblem:
    """A problem raised at a meeting, with the person who resolves it and by when."""
    profile = profile_of(owner)
    if profile is None or profile.branch_id != meeting.branch_id:
        raise ValidationError({"owner": _("The owner must be on the staff of the meeting's branch.")})
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": _("The due date cannot be before the meeting.")})
    problem = MeetingProblem(
        meeting=meeting,
        branch_id=meeting.branch_id,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
    )
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def meeting_problem_resolve(
    *, problem: MeetingProblem, resolution: str, resolved_on: dt.date
) -> MeetingProblem:
    if problem.status == ProblemStatus.RESOLVED:
        raise ValidationError(_("This problem is already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the problem was resolved.")})
    problem.status = ProblemStatus.RESOLVED
    problem.resolution = resolution.strip()
    problem.resolved_on = resolved_on
    problem.save(update_fields=["status", "resolution", "resolved_on"])
    return problem
