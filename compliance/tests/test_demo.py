from compliance import demo
from compliance.models import Attempt, KnowledgeTest, Regulation, TrainingKind, TrainingSession, Violation


def test_demo_seed_is_complete_and_idempotent(db):
    from accounts import demo as accounts_demo

    accounts_demo.seed()
    demo.seed()
    counts = (
        Regulation.objects.count(),
        TrainingSession.objects.count(),
        Attempt.objects.count(),
        Violation.objects.count(),
    )
    demo.seed()
    assert counts == (
        Regulation.objects.count(),
        TrainingSession.objects.count(),
        Attempt.objects.count(),
        Violation.objects.count(),
    )
    assert Regulation.objects.filter(title="《对公信贷业务贷后管理操作手册》").exists()
    assert TrainingSession.objects.filter(kind=TrainingKind.MORNING_MEETING).count() == 52
    assert TrainingSession.objects.filter(kind=TrainingKind.CITY_TRAINING).count() == 1
    assert KnowledgeTest.objects.count() == 1 and Attempt.objects.count() == 8
    assert Violation.objects.count() == 2
