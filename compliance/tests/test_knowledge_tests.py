import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from compliance import services
from compliance.models import Attempt, AttemptAnswer, QuestionKind
from compliance.tests.conftest import right_answers


def test_a_right_attempt_scores_100_and_passes(knowledge_test, officer):
    attempt = services.attempt_start(test=knowledge_test, staff=officer)
    attempt = services.attempt_submit(attempt=attempt, answers=right_answers(knowledge_test))
    assert attempt.score == 100 and attempt.passed


def test_unanswered_and_partly_right_multiple_choice_count_as_wrong(knowledge_test, officer):
    answers = right_answers(knowledge_test)
    multiple = knowledge_test.questions.get(kind=QuestionKind.MULTIPLE)
    answers[multiple.pk] = answers[multiple.pk][:1]
    single = knowledge_test.questions.get(kind=QuestionKind.SINGLE)
    del answers[single.pk]
    attempt = services.attempt_submit(
        attempt=services.attempt_start(test=knowledge_test, staff=officer), answers=answers
    )
    assert str(attempt.score) == "33.33" and attempt.passed is False


def test_a_question_answered_twice_in_one_attempt_is_refused_with_a_clear_message(knowledge_test, officer):
    attempt = services.attempt_start(test=knowledge_test, staff=officer)
    question = knowledge_test.questions.get(kind=QuestionKind.SINGLE)
    right = right_answers(knowledge_test)[question.pk]
    services.attempt_answer(attempt=attempt, question=question, choice_ids=right)
    with pytest.raises(ValidationError) as error:
        services.attempt_answer(attempt=attempt, question=question, choice_ids=right)
    assert "该题已作答" in str(error.value)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 1


def test_the_database_refuses_a_second_answer_to_the_same_question(knowledge_test, officer):
    attempt = services.attempt_start(test=knowledge_test, staff=officer)
    question = knowledge_test.questions.first()
    AttemptAnswer.objects.create(attempt=attempt, question=question)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttemptAnswer.objects.create(attempt=attempt, question=question)


def test_submitting_the_same_attempt_twice_in_the_browser_is_refused(client_for, knowledge_test, officer):
    client = client_for(officer)
    response = client.post(reverse("compliance-test-start", args=[knowledge_test.pk]))
    attempt = Attempt.objects.get(staff=officer)
    assert response["Location"] == reverse("compliance-attempt", args=[attempt.pk])
    form = {
        f"q{qid}": choices if len(choices) > 1 else choices[0]
        for qid, choices in right_answers(knowledge_test).items()
    }
    response = client.post(reverse("compliance-attempt", args=[attempt.pk]), form, follow=True)
    assert "100" in response.content.decode()
    response = client.post(reverse("compliance-attempt", args=[attempt.pk]), form, follow=True)
    assert "本次答题已经提交" in response.content.decode()
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 3


def test_single_choice_with_two_answers_is_refused(knowledge_test, officer):
    attempt = services.attempt_start(test=knowledge_test, staff=officer)
    question = knowledge_test.questions.get(kind=QuestionKind.SINGLE)
    with pytest.raises(ValidationError, match="只能选择一个答案"):
        services.attempt_answer(
            attempt=attempt, question=question, choice_ids=list(question.choices.values_list("pk", flat=True))
        )


def test_a_single_choice_question_needs_exactly_one_right_answer(db):
    with pytest.raises(ValidationError, match="只能有一个正确答案"):
        services.question_create(
            kind=QuestionKind.SINGLE, text="q", choices=[("a", True), ("b", True)], topic="t"
        )


def test_a_true_false_question_gets_its_two_answers(db):
    question = services.question_create(
        kind=QuestionKind.TRUE_FALSE, text="q", choices=[("", False)], topic="t"
    )
    assert [(c.is_correct) for c in question.choices.all()] == [False, True]


def test_another_branchs_staff_cannot_take_the_test(client_for, knowledge_test, outsider):
    assert (
        client_for(outsider).post(reverse("compliance-test-start", args=[knowledge_test.pk])).status_code
        == 404
    )
    with pytest.raises(ValidationError):
        services.attempt_start(test=knowledge_test, staff=outsider)


def test_an_officer_cannot_open_another_officers_attempt(
    client_for, knowledge_test, officer, other_officer, branch_head
):
    attempt = services.attempt_start(test=knowledge_test, staff=officer)
    assert client_for(other_officer).get(reverse("compliance-attempt", args=[attempt.pk])).status_code == 404
    assert client_for(branch_head).get(reverse("compliance-attempt", args=[attempt.pk])).status_code == 200


def test_history_of_attempts_on_the_test_page(client_for, knowledge_test, officer, branch_head):
    for _ in range(2):
        services.attempt_submit(
            attempt=services.attempt_start(test=knowledge_test, staff=officer),
            answers=right_answers(knowledge_test),
        )
    content = (
        client_for(branch_head).get(reverse("compliance-test", args=[knowledge_test.pk])).content.decode()
    )
    assert content.count("100.00") == 2


def test_compliance_officer_builds_a_question_and_a_test_in_the_browser(
    client_for, compliance_officer, branch
):
    client = client_for(compliance_officer)
    response = client.post(
        reverse("compliance-question-create"),
        {"kind": QuestionKind.SINGLE, "text": "问题", "topic": "五级分类", "answers": "*次级\n关注"},
    )
    assert response.status_code == 302
    from compliance.models import Question

    question = Question.objects.get()
    response = client.post(
        reverse("compliance-test-create"),
        {"branch": branch.pk, "title": "测试", "pass_mark": 80, "questions": [question.pk]},
    )
    assert response.status_code == 302


def test_officer_cannot_open_the_question_bank(client_for, officer):
    assert client_for(officer).get(reverse("compliance-questions")).status_code == 403
