"""The must-know question bank, its tests and the staff's attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from compliance.models.regulations import Regulation


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
