import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import OVERSIGHT_ROLES, profile_of, role_of, visible_branch_ids
from accounts.models import Branch, Role, StaffProfile
from compliance.models import (
    Acknowledgement,
    Attempt,
    AttemptAnswer,
    Attendance,
    AttendanceStatus,
    Choice,
    KnowledgeTest,
    MeetingProblem,
    PenaltyKind,
    ProblemStatus,
    Question,
    QuestionKind,
    Regulation,
    TrainingKind,
    TrainingSession,
    Violation,
    ViolationSource,
    ViolationStatus,
)
from notifications.services import email_queue


@transaction.atomic
def violation_raise(
    *,
    staff,
    occurred_on: dt.date,
    rule: str,
    source: ViolationSource,
    description: str = "",
    penalty_kind: PenaltyKind = PenaltyKind.CRITICISM,
    fine_amount: Decimal | None = None,
    score_deduction: Decimal = Decimal("0"),
    source_object: models.Model | None = None,
    recorded_by=None,
    approved_by=None,
) -> Violation:
    """Record a violation in ``staff``'s compliance record.

    Without ``approved_by`` it waits as pending for the branch head or the compliance
    officer; with one it is approved at once. Raising it again for the same
    ``source_object`` returns the existing record (jobs may run twice).
    """
    profile = profile_of(staff)
    if profile is None:
        raise ValidationError(_("Only staff with a staff profile can have a compliance record."))
    if penalty_kind == PenaltyKind.FINE and not fine_amount:
        raise ValidationError({"fine_amount": _("A fine needs its amount.")})
    if source_object is not None:
        content_type = ContentType.objects.get_for_model(source_object)
        existing = Violation.objects.filter(
            staff=staff, source_content_type=content_type, source_object_id=source_object.pk
        ).first()
        if existing:
            return existing
    violation = Violation(
        staff=staff,
        branch=profile.branch,
        occurred_on=occurred_on,
        rule=rule,
        description=description,
        source=source,
        penalty_kind=penalty_kind,
        fine_amount=fine_amount,
        score_deduction=score_deduction,
        recorded_by=recorded_by,
        source_object=source_object,
    )
    if approved_by is not None:
        violation.status = ViolationStatus.APPROVED
        violation.approved_by = approved_by
        violation.approved_at = timezone.now()
    violation.full_clean()
    violation.save()
    return violation


# --- Violations recorded by hand ---------------------------------------------------------

# Who may record, approve or withdraw a penalty.


def _require_approver(approver, *, branch_id: int) -> None:
    if approver is None:
        raise ValidationError(
            {"approved_by": _("A penalty needs an approver (the branch head or a compliance officer).")}
        )
    if role_of(approver) not in OVERSIGHT_ROLES:
        raise ValidationError(
            {"approved_by": _("Only the branch head or a compliance officer can approve a penalty.")}
        )
    if role_of(approver) != Role.ADMIN and branch_id not in visible_branch_ids(approver):
        raise ValidationError({"approved_by": _("The approver must belong to the staff member's branch.")})


@transaction.atomic
def violation_record(
    *,
    staff,
    recorded_by,
    approved_by,
    occurred_on: dt.date,
    rule: str,
    source: ViolationSource,
    regulation: Regulation | None = None,
    description: str = "",
    penalty_kind: PenaltyKind = PenaltyKind.CRITICISM,
    fine_amount: Decimal | None = None,
    score_deduction: Decimal = Decimal("0"),
) -> Violation:
    """A penalty recorded by a compliance officer or the branch head: approved at once,
    so it must name its approver."""
    profile = profile_of(staff)
    if profile is None:
        raise ValidationError(_("Only staff with a staff profile can have a compliance record."))
    _require_approver(approved_by, branch_id=profile.branch_id)
    violation = violation_raise(
        staff=staff,
        occurred_on=occurred_on,
        rule=rule,
        source=source,
        description=description,
        penalty_kind=penalty_kind,
        fine_amount=fine_amount,
        score_deduction=score_deduction,
        recorded_by=recorded_by,
        approved_by=approved_by,
    )
    if regulation is not None:
        violation.regulation = regulation
        violation.save(update_fields=["regulation"])
    return violation


def _pending(violation_id: int) -> Violation:
    violation = Violation.objects.select_for_update().get(pk=violation_id)
    if violation.status != ViolationStatus.PENDING:
        raise ValidationError(_("Only a pending violation can be approved or withdrawn."))
    return violation


@transaction.atomic
def violation_approve(*, violation: Violation, approved_by) -> Violation:
    violation = _pending(violation.pk)
    _require_approver(approved_by, branch_id=violation.branch_id)
    violation.status = ViolationStatus.APPROVED
    violation.approved_by = approved_by
    violation.approved_at = timezone.now()
    violation.save(update_fields=["status", "approved_by", "approved_at"])
    return violation


@transaction.atomic
def violation_withdraw(*, violation: Violation, withdrawn_by) -> Violation:
    violation = _pending(violation.pk)
    _require_approver(withdrawn_by, branch_id=violation.branch_id)
    violation.status = ViolationStatus.WITHDRAWN
    violation.save(update_fields=["status"])
    return violation


@transaction.atomic
def violation_appeal(*, violation: Violation, staff, note: str) -> Violation:
    """The staff member's own appeal note (申诉); only they may write it."""
    if violation.staff_id != staff.pk:
        raise ValidationError(_("Only the staff member concerned can appeal a violation."))
    note = note.strip()
    if not note:
        raise ValidationError({"appeal_note": _("Write what you want to appeal.")})
    if violation.status == ViolationStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn violation needs no appeal."))
    violation.appeal_note = note
    violation.appealed_at = timezone.now()
    violation.save(update_fields=["appeal_note", "appealed_at"])
    return violation


# --- Regulations and acknowledgements ----------------------------------------------------


def _check_supersession(regulation: Regulation) -> None:
    successor_id = regulation.superseded_by_id
    if successor_id is None:
        return
    if successor_id == regulation.pk:
        raise ValidationError({"superseded_by": _("A regulation cannot supersede itself.")})
    if regulation.pk and Regulation.objects.filter(pk=successor_id, superseded_by_id=regulation.pk).exists():
        raise ValidationError({"superseded_by": _("Two regulations cannot supersede each other.")})


def applicable_staff(*, regulation: Regulation):
    """Active staff (users) a regulation applies to: its roles (all if none) in its
    branches and the branches below them (all if none)."""
    profiles = StaffProfile.objects.filter(user__is_active=True).exclude(role=Role.ADMIN)
    if regulation.applies_to_roles:
        profiles = profiles.filter(role__in=regulation.applies_to_roles)
    covered = set(regulation.applies_to_branches.values_list("id", flat=True))
    if covered:
        children: dict[int, list[int]] = {}
        for branch_id, parent_id in Branch.objects.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(branch_id)
        stack = list(covered)
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in covered:
                    covered.add(child)
                    stack.append(child)
        profiles = profiles.filter(branch_id__in=covered)
    return profiles.select_related("user")


@transaction.atomic
def acknowledgements_request(*, regulation: Regulation) -> int:
    """One pending acknowledgement of the current version per applicable staff member.
    Idempotent: those already asked are skipped (unique constraint). Returns how many
    were created."""
    now = timezone.now()
    rows = [
        Acknowledgement(
            regulation=regulation,
            version=regulation.version,
            staff_id=profile.user_id,
            branch_id=profile.branch_id,
            requested_at=now,
        )
        for profile in applicable_staff(regulation=regulation)
    ]
    before = Acknowledgement.objects.filter(regulation=regulation, version=regulation.version).count()
    Acknowledgement.objects.bulk_create(rows, ignore_conflicts=True)
    return Acknowledgement.objects.filter(regulation=regulation, version=regulation.version).count() - before


@transaction.atomic
def regulation_publish(
    *, regulation: Regulation, roles: list[str] | None = None, branches=None
) -> Regulation:
    """Save a new regulation (or an edit that keeps its version) and ask its staff to
    acknowledge it. ``roles``/``branches`` set who it applies to."""
    _check_supersession(regulation)
    if roles is not None:
        regulation.applies_to_roles = list(roles)
    regulation.full_clean()
    if regulation.published_at is None:
        regulation.published_at = timezone.now()
    regulation.save()
    if branches is not None:
        regulation.applies_to_branches.set(branches)
    if regulation.superseded_by_id is None:
        acknowledgements_request(regulation=regulation)
    return regulation


@transaction.atomic
def regulation_revise(
    *, regulation: Regulation, version: str, effective_on: dt.date, document=None
) -> Regulation:
    """A new version of the regulation: everyone it applies to must acknowledge it again;
    pending acknowledgements of the old version are dropped."""
    version = version.strip()
    if not version or version == regulation.version:
        raise ValidationError({"version": _("A revision needs a new version number.")})
    if regulation.superseded_by_id is not None:
        raise ValidationError(_("This regulation has been superseded; revise its successor instead."))
    regulation.version = version
    regulation.effective_on = effective_on
    if document is not None:
        regulation.document = document
    regulation.full_clean()
    regulation.published_at = timezone.now()
    regulation.save()
    Acknowledgement.objects.filter(regulation=regulation, acknowledged_at__isnull=True).exclude(
        version=version
    ).delete()
    acknowledgements_request(regulation=regulation)
    return regulation


@transaction.atomic
def regulation_supersede(*, regulation: Regulation, successor: Regulation) -> Regulation:
    """Mark ``regulation`` superseded by ``successor``; its pending acknowledgements go."""
    regulation.superseded_by = successor
    _check_supersession(regulation)
    regulation.save(update_fields=["superseded_by"])
    Acknowledgement.objects.filter(regulation=regulation, acknowledged_at__isnull=True).delete()
    return regulation


@transaction.atomic
def acknowledgement_confirm(*, acknowledgement: Acknowledgement, staff) -> Acknowledgement:
    """The staff member confirms they studied the regulation (their own row only)."""
    acknowledgement = Acknowledgement.objects.select_for_update().get(pk=acknowledgement.pk)
    if acknowledgement.staff_id != staff.pk:
        raise ValidationError(_("You can only confirm your own acknowledgements."))
    if acknowledgement.acknowledged_at is None:
        acknowledgement.acknowledged_at = timezone.now()
        acknowledgement.save(update_fields=["acknowledged_at"])
    return acknowledgement


# --- Training sessions, attendance, morning meetings -------------------------------------


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


# --- Question bank and tests -------------------------------------------------------------


@transaction.atomic
def question_create(
    *,
    kind: QuestionKind,
    text: str,
    choices: list[tuple[str, bool]],
    regulation: Regulation | None = None,
    topic: str = "",
) -> Question:
    """A question with its answers. A true/false question gets the two answers True and
    False (``choices`` then holds one entry: ("", the right answer))."""
    if kind == QuestionKind.TRUE_FALSE:
        truth = choices[0][1] if choices else True
        choices = [(_("True"), truth), (_("False"), not truth)]
    choices = [(label.strip(), correct) for label, correct in choices if label.strip()]
    right = sum(1 for _label, correct in choices if correct)
    if len(choices) < 2:
        raise ValidationError(_("A question needs at least two answers."))
    if right == 0:
        raise ValidationError(_("Mark the right answer."))
    if kind == QuestionKind.SINGLE and right != 1:
        raise ValidationError(_("A single-choice question has exactly one right answer."))
    question = Question(kind=kind, text=text.strip(), regulation=regulation, topic=topic.strip())
    question.full_clean()
    question.save()
    Choice.objects.bulk_create(
        [
            Choice(question=question, text=label, is_correct=correct, order=index)
            for index, (label, correct) in enumerate(choices)
        ]
    )
    return question


@transaction.atomic
def knowledge_test_create(*, branch: Branch, title: str, questions, pass_mark: int = 60) -> KnowledgeTest:
    """A test assembled from questions of the bank."""
    questions = list(questions)
    if not questions:
        raise ValidationError({"questions": _("Pick at least one question.")})
    test = KnowledgeTest(branch=branch, title=title.strip(), pass_mark=pass_mark)
    test.full_clean()
    test.save()
    test.questions.set(questions)
    return test


@transaction.atomic
def attempt_start(*, test: KnowledgeTest, staff) -> Attempt:
    profile = profile_of(staff)
    if profile is None or profile.branch_id != test.branch_id:
        raise ValidationError(_("This test is for the staff of %(branch)s.") % {"branch": test.branch.name})
    if not test.is_open:
        raise ValidationError(_("This test is closed."))
    return Attempt.objects.create(test=test, staff=staff, branch_id=test.branch_id, started_at=timezone.now())


ANSWERED_TWICE = gettext_lazy(
    "This question has already been answered in this attempt; an answer cannot be changed."
)


@transaction.atomic
def attempt_answer(*, attempt: Attempt, question: Question, choice_ids: list[int]) -> AttemptAnswer:
    """Answer one question of an unsubmitted attempt, once."""
    if attempt.submitted_at is not None:
        raise ValidationError(_("This attempt has already been submitted."))
    if not attempt.test.questions.filter(pk=question.pk).exists():
        raise ValidationError(_("This question is not part of the test."))
    if AttemptAnswer.objects.filter(attempt=attempt, question=question).exists():
        raise ValidationError(ANSWERED_TWICE)
    chosen = list(question.choices.filter(pk__in=choice_ids))
    if len(chosen) != len(set(choice_ids)):
        raise ValidationError(_("An answer does not belong to its question."))
    if question.kind != QuestionKind.MULTIPLE and len(chosen) > 1:
        raise ValidationError(_("Pick one answer for “%(question)s”.") % {"question": question.text[:40]})
    right = {choice.pk for choice in question.choices.all() if choice.is_correct}
    try:
        with transaction.atomic():
            answer = AttemptAnswer.objects.create(
                attempt=attempt, question=question, is_correct={c.pk for c in chosen} == right
            )
    except IntegrityError as exc:
        raise ValidationError(ANSWERED_TWICE) from exc
    answer.choices.set(chosen)
    return answer


@transaction.atomic
def attempt_submit(*, attempt: Attempt, answers: dict[int, list[int]]) -> Attempt:
    """Answer the given questions, then score the attempt: the share of questions answered
    right, in percent; unanswered questions count as wrong."""
    attempt = Attempt.objects.select_for_update().select_related("test").get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        raise ValidationError(_("This attempt has already been submitted."))
    questions = {question.pk: question for question in attempt.test.questions.all()}
    for question_id, choice_ids in answers.items():
        if question_id not in questions:
            raise ValidationError(_("This question is not part of the test."))
        if choice_ids:
            attempt_answer(attempt=attempt, question=questions[question_id], choice_ids=choice_ids)
    right = AttemptAnswer.objects.filter(attempt=attempt, is_correct=True).count()
    total = len(questions) or 1
    attempt.score = (Decimal(right) * 100 / Decimal(total)).quantize(Decimal("0.01"))
    attempt.passed = attempt.score >= attempt.test.pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    return attempt


# --- Reminders ---------------------------------------------------------------------------

ACK_OVERDUE_KIND = "compliance_ack_overdue"
MISSED_MEETINGS_KIND = "compliance_missed_meetings"
# How far back the reminder looks for two missed Monday meetings in a row.
MISSED_MEETINGS_WINDOW_DAYS = 28


def compliance_reminders_send(*, today: dt.date) -> int:
    """Email each staff member with an acknowledgement outstanding for over 7 days, and each
    who missed the last two morning meetings. One email per reason per week: the key date
    is the Monday of the week, so the daily job sends nothing twice. Returns how many
    emails were queued now."""
    from compliance.selectors import ACK_OVERDUE_DAYS, staff_figures

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
