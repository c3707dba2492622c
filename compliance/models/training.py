"""Training sessions with their attendance; morning meetings with their problems."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.models.regulations import Regulation
from compliance.validators import validate_document


class TrainingKind(models.TextChoices):
    MORNING_MEETING = "morning_meeting", _("Weekly morning meeting")
    CITY_TRAINING = "city_training", _("City-branch training")
    FOCUSED_STUDY = "focused_study", _("Focused study")
    EXAM = "exam", _("Exam")


class TrainingSession(models.Model):
    """A training session; a weekly morning meeting (每周一晨会) also carries its minutes.

    ``week_of`` (the Monday of the week) is set for morning meetings only: one per branch
    per week, so the Monday job can run twice.
    """

    branch = models.ForeignKey(
        "accounts.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    week_of = models.DateField(_("week of"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = models.TextField(_("topics"), blank=True)
    regulations = models.ManyToManyField(
        Regulation, verbose_name=_("regulations covered"), blank=True, related_name="training_sessions"
    )
    materials = models.FileField(
        _("materials"), upload_to="training/%Y/", blank=True, validators=[validate_document]
    )
    work_reviewed = models.TextField(_("work reviewed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [models.Index(fields=["branch", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="training_duration_positive"),
            models.CheckConstraint(
                condition=~Q(kind=TrainingKind.MORNING_MEETING) | Q(week_of__isnull=False),
                name="training_meeting_has_week",
            ),
            models.UniqueConstraint(
                fields=["branch", "week_of"],
                condition=Q(kind=TrainingKind.MORNING_MEETING),
                name="training_one_meeting_per_branch_week",
                violation_error_message=_("This branch already has its morning meeting for that week."),
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class AttendanceStatus(models.TextChoices):
    UNRECORDED = "unrecorded", _("Not recorded")
    PRESENT = "present", _("Present")
    LATE = "late", pgettext_lazy("attendance", "Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Counted as attended for training hours and attendance rate.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("attendance"), max_length=12, choices=AttendanceStatus.choices, default=AttendanceStatus.UNRECORDED
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["session", "staff__profile__employee_no"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="attendance_once_per_session_staff"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.EXCUSED) | ~Q(reason=""),
                name="attendance_excused_has_reason",
                violation_error_message=_("An excused absence needs its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.session} {self.staff} {self.status}"


class ProblemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("meeting problem", "Open")
    RESOLVED = "resolved", _("Resolved")


class MeetingProblem(models.Model):
    """A problem raised at a morning meeting (晨会纪要), with who resolves it by when.

    Open problems are carried to every later meeting of the branch until resolved.
    """

    meeting = models.ForeignKey(
        TrainingSession, verbose_name=_("raised at"), on_delete=models.CASCADE, related_name="problems"
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("problem"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("meeting problem")
        verbose_name_plural = _("meeting problems")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProblemStatus.OPEN, resolved_on__isnull=True)
                | Q(status=ProblemStatus.RESOLVED, resolved_on__isnull=False),
                name="problem_resolved_has_date",
            ),
        ]

    def __str__(self):
        return self.description[:60]
