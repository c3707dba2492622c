import datetime as dt

import pytest

from compliance import services
from compliance.models import QuestionKind, TrainingKind


@pytest.fixture
def meeting(branch, officer, other_officer, branch_head, compliance_officer):
    """The branch's Monday morning meeting of 23 Nov 2026, with its staff on the roll."""
    return services.training_session_create(
        branch=branch,
        kind=TrainingKind.MORNING_MEETING,
        title="晨会",
        held_on=dt.date(2026, 11, 23),
        presenter=branch_head,
    )


@pytest.fixture
def knowledge_test(branch):
    questions = [
        services.question_create(
            kind=QuestionKind.SINGLE,
            text="逾期超过90天至少分为？",
            choices=[("关注", False), ("次级", True)],
            topic="五级分类",
        ),
        services.question_create(
            kind=QuestionKind.MULTIPLE,
            text="哪些属于不良？",
            choices=[("次级", True), ("可疑", True), ("关注", False)],
            topic="五级分类",
        ),
        services.question_create(
            kind=QuestionKind.TRUE_FALSE, text="三亲见", choices=[("", True)], topic="面签"
        ),
    ]
    return services.knowledge_test_create(branch=branch, title="应知应会", questions=questions, pass_mark=60)


def right_answers(test):
    return {
        question.pk: [choice.pk for choice in question.choices.all() if choice.is_correct]
        for question in test.questions.all()
    }
