"""The must-know question bank, the tests assembled from it and the staff's attempts."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import profile_of
from accounts.models import Branch
from compliance.models import (
    Attempt,
    AttemptAnswer,
    Choice,
    KnowledgeTest,
    Question,
    QuestionKind,
    Regulation,
)


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
