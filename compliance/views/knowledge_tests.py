"""The question bank, the must-know tests and the staff's attempts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import OVERSIGHT_ROLES, profile_of, role_required, visible_branches
from compliance import selectors, services
from compliance.forms import KnowledgeTestForm, QuestionForm, TakeTestForm
from compliance.views.common import is_manager
from core.forms import submit_form


@role_required(*OVERSIGHT_ROLES)
def question_list(request):
    return render(
        request, "compliance/question_list.html", {"questions": selectors.questions_for(request.user)[:500]}
    )


@role_required(*OVERSIGHT_ROLES)
def question_create(request):
    regulations = selectors.regulations_visible_to(request.user)
    form = QuestionForm(request.POST or None, regulations=regulations)
    if submit_form(
        request,
        form,
        lambda data: services.question_create(
            kind=data["kind"],
            text=data["text"],
            choices=form.choices(),
            regulation=data["regulation"],
            topic=data["topic"],
        ),
    ):
        messages.success(request, _("Question added to the bank."))
        return redirect("compliance-questions")
    return render(request, "compliance/form.html", {"form": form, "title": _("New question")})


def test_list(request):
    tests = selectors.tests_visible_to(request.user)
    return render(
        request,
        "compliance/test_list.html",
        {
            "tests": tests,
            "attempts": selectors.attempts_visible_to(request.user)
            .filter(staff=request.user)
            .order_by("-started_at")[:50],
            "is_manager": is_manager(request.user),
        },
    )


@role_required(*OVERSIGHT_ROLES)
def test_create(request):
    form = KnowledgeTestForm(
        request.POST or None,
        branches=visible_branches(request.user),
        questions=selectors.questions_for(request.user),
    )
    outcome = submit_form(
        request,
        form,
        lambda data: services.knowledge_test_create(
            branch=data["branch"],
            title=data["title"],
            questions=data["questions"],
            pass_mark=data["pass_mark"],
        ),
    )
    if outcome:
        messages.success(request, _("Test created."))
        return redirect("compliance-test", pk=outcome.value.pk)
    return render(request, "compliance/form.html", {"form": form, "title": _("New test")})


def test_detail(request, pk):
    test = get_object_or_404(selectors.tests_visible_to(request.user), pk=pk)
    attempts = selectors.attempts_visible_to(request.user).filter(test=test)
    return render(
        request,
        "compliance/test_detail.html",
        {
            "test": test,
            "attempts": attempts,
            "question_count": test.questions.count(),
            "is_manager": is_manager(request.user),
            "can_take": profile_of(request.user) is not None
            and profile_of(request.user).branch_id == test.branch_id,
        },
    )


@require_POST
def test_start(request, pk):
    test = get_object_or_404(selectors.tests_visible_to(request.user), pk=pk)
    try:
        attempt = services.attempt_start(test=test, staff=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("compliance-test", pk=test.pk)
    return redirect("compliance-attempt", pk=attempt.pk)


def attempt_detail(request, pk):
    attempt = get_object_or_404(selectors.attempts_visible_to(request.user), pk=pk)
    questions = attempt.test.questions.prefetch_related("choices").order_by("id")
    if attempt.submitted_at is not None or attempt.staff_id != request.user.pk:
        if request.method == "POST":
            messages.error(request, _("This attempt has already been submitted."))
        answers = {answer.question_id: answer for answer in attempt.answers.prefetch_related("choices")}
        rows = [(question, answers.get(question.pk)) for question in questions]
        return render(request, "compliance/attempt_result.html", {"attempt": attempt, "rows": rows})
    form = TakeTestForm(request.POST or None, questions=questions)
    outcome = submit_form(
        request, form, lambda data: services.attempt_submit(attempt=attempt, answers=form.answers())
    )
    if outcome:
        submitted = outcome.value
        messages.success(
            request,
            _("Your score: %(score)s (pass mark %(mark)s).")
            % {"score": submitted.score, "mark": submitted.test.pass_mark},
        )
        return redirect("compliance-attempt", pk=submitted.pk)
    return render(request, "compliance/attempt_take.html", {"attempt": attempt, "form": form})
