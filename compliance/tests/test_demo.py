from compliance import demo
from compliance.models import (
    Attempt,
    GiftDeclaration,
    KnowledgeTest,
    Regulation,
    TrainingKind,
    TrainingSession,
    Violation,
)


def test_demo_seed_is_complete_and_idempotent(db):
    from accounts import demo as accounts_demo

    accounts_demo.seed()
    demo.seed()
    counts = (
        Regulation.objects.count(),
        TrainingSession.objects.count(),
        Attempt.objects.count(),
        Violation.objects.count(),
        GiftDeclaration.objects.count(),
    )
    demo.seed()
    assert counts == (
        Regulation.objects.count(),
        TrainingSession.objects.count(),
        Attempt.objects.count(),
        Violation.objects.count(),
        GiftDeclaration.objects.count(),
    )
    assert Regulation.objects.filter(title="《对公信贷业务贷后管理操作手册》").exists()
    assert TrainingSession.objects.filter(kind=TrainingKind.MORNING_MEETING).count() == 52
    assert TrainingSession.objects.filter(kind=TrainingKind.CITY_TRAINING).count() == 1
    assert KnowledgeTest.objects.count() == 1 and Attempt.objects.count() == 8
    # Two recorded by hand, one opened by an accepted gift over the limit.
    assert Violation.objects.count() == 3
    assert GiftDeclaration.objects.count() == 4
    assert GiftDeclaration.objects.filter(violation__isnull=False).count() == 1
    assert GiftDeclaration.objects.filter(reviewed_at__isnull=False).count() == 1


def test_every_compliance_page_renders_with_the_demo_data(db, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from accounts import demo as accounts_demo

    accounts_demo.seed()
    demo.seed()
    User = get_user_model()
    meeting = TrainingSession.objects.filter(kind=TrainingKind.MORNING_MEETING).order_by("-held_on").first()
    test = KnowledgeTest.objects.get()
    attempt = Attempt.objects.first()
    violation = Violation.objects.first()
    regulation = Regulation.objects.first()
    officer = User.objects.get(username="officer1")
    pages = [
        reverse("compliance-my-record"),
        reverse("compliance-regulations"),
        reverse("compliance-regulation", args=[regulation.pk]),
        reverse("compliance-acknowledgements"),
        reverse("compliance-sessions"),
        reverse("compliance-session", args=[meeting.pk]),
        reverse("compliance-problems"),
        reverse("compliance-tests"),
        reverse("compliance-test", args=[test.pk]),
        reverse("compliance-attempt", args=[attempt.pk]),
        reverse("compliance-violations"),
        reverse("compliance-violation", args=[violation.pk]),
        reverse("compliance-staff-record", args=[officer.pk]),
        reverse("compliance-gifts"),
        reverse("compliance-gift-declare"),
        "/",
    ]
    manager_pages = [
        reverse("compliance-regulation-create"),
        reverse("compliance-regulation-edit", args=[regulation.pk]),
        reverse("compliance-session-create"),
        reverse("compliance-session-edit", args=[meeting.pk]),
        reverse("compliance-session-attendance", args=[meeting.pk]),
        reverse("compliance-problem-create", args=[meeting.pk]),
        reverse("compliance-questions"),
        reverse("compliance-question-create"),
        reverse("compliance-test-create"),
        reverse("compliance-violation-create"),
        reverse("compliance-branch"),
        reverse("compliance-report"),
        reverse(
            "compliance-gift-review",
            args=[GiftDeclaration.objects.filter(reviewed_at__isnull=True).first().pk],
        ),
    ]
    client.force_login(User.objects.get(username="head"))
    for url in pages + manager_pages:
        assert client.get(url).status_code == 200, url
    content = client.get(reverse("compliance-session", args=[meeting.pk])).content.decode()
    assert "以往晨会遗留问题" in content
    behind = client.get(reverse("compliance-branch")).context["figures"]
    assert {row.profile.user.username for row in behind if row.is_behind} >= {"officer3", "officer7"}
    client.force_login(officer)
    for url in pages:
        assert client.get(url).status_code in (200, 404), url
    for url in manager_pages:
        assert client.get(url).status_code == 403, url
