from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from compliance.validators import validate_document


class ViolationSource(models.TextChoices):
    MISSED_ACTION = "missed_action", _("Missed required action")
    OFFICER_CAUSED_OVERDUE = "officer_overdue", _("Overdue loan caused by the officer")
    AUDIT_FINDING = "audit", _("Audit finding")
    OTHER = "other", _("Other")


class PenaltyKind(models.TextChoices):
    CRITICISM = "criticism", _("Criticism")
    FINE = "fine", _("Fine")
    SCORE_DEDUCTION = "score", _("Score deduction")
    OTHER = "other", _("Other")


class ViolationStatus(models.TextChoices):
    # Raised automatically (a late action, an officer-caused overdue loan) and awaiting
    # the branch head's or compliance officer's decision.
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Violation(models.Model):
    """A violation and its penalty (违规记录 / 问题处罚) in a member of staff's record.

    Other apps raise one through ``compliance.services.violation_raise`` and link it to the
    record that caused it (a required action, a loan) through ``source_object``.
    """

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="violations"
    )
    occurred_on = models.DateField(_("date"))
    rule = models.CharField(_("rule broken"), max_length=200)
    regulation = models.ForeignKey(
        "compliance.Regulation",
        verbose_name=_("regulation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violations",
    )
    description = models.TextField(_("what happened"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ViolationSource.choices)
    penalty_kind = models.CharField(_("penalty"), max_length=12, choices=PenaltyKind.choices)
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    score_deduction = models.DecimalField(_("score deduction"), max_digits=6, decimal_places=1, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ViolationStatus.choices, default=ViolationStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    appeal_note = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_content_type", "source_object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [
            models.Index(fields=["staff", "occurred_on"]),
            models.Index(fields=["branch", "occurred_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ViolationStatus.APPROVED) | Q(approved_by__isnull=False),
                name="violation_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gt=0), name="violation_fine_positive"
            ),
            models.CheckConstraint(condition=Q(score_deduction__gte=0), name="violation_score_not_negative"),
            models.CheckConstraint(
                condition=~Q(penalty_kind=PenaltyKind.FINE) | Q(fine_amount__isnull=False),
                name="violation_fine_has_amount",
            ),
            # One penalty per staff member per causing record: raising it again is a no-op.
            models.UniqueConstraint(
                fields=["staff", "source_content_type", "source_object_id"],
                condition=Q(source_object_id__isnull=False),
                name="violation_once_per_source_object",
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.occurred_on} {self.rule}"


class RegulationLevel(models.TextChoices):
    HEAD_OFFICE = "head_office", _("Head office")
    PROVINCE = "province", _("Provincial branch")
    CITY = "city", _("City branch")
    BRANCH = "branch", _("Sub-branch")


class RegulationCategory(models.TextChoices):
    CONDUCT = "conduct", _("Code of conduct")
    VIOLATION_HANDLING = "violation_handling", _("Violation handling")
    PROHIBITIONS = "prohibitions", _("Prohibitions")
    CREDIT_MANAGEMENT = "credit_management", _("Credit management (must-know)")
    POST_LOAN_RULES = "post_loan_rules", _("Post-loan rules")
    OPERATIONS_MANUAL = "operations_manual", _("Operations manual")


class Regulation(models.Model):
    """A rule staff must know (制度库): one row per regulation, its current version.

    Publishing or revising it asks every staff member it applies to for an
    acknowledgement of that version (``compliance.services.regulation_publish``).
    Empty ``applies_to_roles`` / ``applies_to_branches`` mean every role / every branch.
    """

    title = models.CharField(_("title"), max_length=200)
    issuing_level = models.CharField(_("issuing level"), max_length=12, choices=RegulationLevel.choices)
    category = models.CharField(_("category"), max_length=20, choices=RegulationCategory.choices)
    version = models.CharField(_("version"), max_length=20, default="1")
    effective_on = models.DateField(_("effective date"))
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    document = models.FileField(
        _("document"), upload_to="regulations/%Y/", blank=True, validators=[validate_document]
    )
    applies_to_roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices),
        verbose_name=_("applies to roles"),
        default=list,
        blank=True,
    )
    applies_to_branches = models.ManyToManyField(
        "accounts.Branch", verbose_name=_("applies to branches"), blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(superseded_by=models.F("id")),
                name="regulation_not_superseded_by_itself",
                violation_error_message=_("A regulation cannot supersede itself."),
            ),
            models.UniqueConstraint(
                fields=["title", "version"],
                name="regulation_title_version_unique",
                violation_error_message=_("This version of the regulation exists already."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.version})"


class Acknowledgement(models.Model):
    """One staff member's confirmation that they studied one version of a regulation (学习签收)."""

    regulation = models.ForeignKey(
        Regulation, verbose_name=_("regulation"), on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.CharField(_("version"), max_length=20)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "id"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "version", "staff"], name="acknowledgement_once_per_version_staff"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=models.F("requested_at")),
                name="acknowledgement_after_request",
            ),
        ]
        indexes = [models.Index(fields=["staff", "acknowledged_at"])]

    def __str__(self):
        return f"{self.staff} {self.regulation}"


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
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Counted as attended for training hours and attendance rate.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
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
    OPEN = "open", _("Open")
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


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True / false")


class Question(models.Model):
    """A question of the must-know bank (应知应会题库), about a regulation or a topic."""

    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    regulation = models.ForeignKey(
        Regulation,
        verbose_name=_("regulation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(regulation__isnull=False) | ~Q(topic=""), name="question_has_regulation_or_topic"
            ),
        ]

    def __str__(self):
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class KnowledgeTest(models.Model):
    """A must-know test (应知应会测试) assembled from the question bank for one branch."""

    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="knowledge_tests"
    )
    title = models.CharField(_("title"), max_length=200)
    questions = models.ManyToManyField(Question, verbose_name=_("questions"), related_name="tests")
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    is_open = models.BooleanField(_("open for attempts"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="test_pass_mark_at_most_100"),
        ]

    def __str__(self):
        return self.title


class Attempt(models.Model):
    test = models.ForeignKey(
        KnowledgeTest, verbose_name=_("test"), on_delete=models.CASCADE, related_name="attempts"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(score__isnull=False, passed__isnull=False),
                name="attempt_submitted_is_scored",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="attempt_score_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.test} {self.score}"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choices = models.ManyToManyField(Choice, related_name="+")
    is_correct = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # A question is answered once per attempt: a second answer is refused.
            models.UniqueConstraint(
                fields=["attempt", "question"],
                name="answer_once_per_attempt_question",
                violation_error_message=_(
                    "This question has already been answered in this attempt; an answer cannot be changed."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.attempt_id}/{self.question_id}"
