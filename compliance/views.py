import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    OVERSIGHT_ROLES,
    has_role,
    profile_of,
    role_required,
    visible_branch_ids,
    visible_branches,
)
from accounts.selectors import staff_visible_to
from compliance import exports, selectors, services
from compliance.forms import (
    AppealForm,
    AttendanceAddForm,
    AttendanceForm,
    KnowledgeTestForm,
    MinutesForm,
    ProblemForm,
    QuestionForm,
    RegulationForm,
    RegulationReviseForm,
    ResolveForm,
    SessionCreateForm,
    TakeTestForm,
    TrainingSessionForm,
    ViolationForm,
)
from compliance.models import ProblemStatus, TrainingKind, ViolationStatus
from core.forms import add_service_errors

# Who records attendance and penalties, manages the library and the tests.


def _is_manager(user) -> bool:
    return has_role(user, *OVERSIGHT_ROLES)


def _message_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Regulations and acknowledgements ----------------------------------------------------


def regulation_list(request):
    regulations = selectors.regulations_visible_to(request.user).select_related("superseded_by")
    category = request.GET.get("category")
    if category:
        regulations = regulations.filter(category=category)
    return render(
        request,
        "compliance/regulation_list.html",
        {"regulations": regulations, "is_manager": _is_manager(request.user), "category": category},
    )


def regulation_detail(request, pk):
    regulation = get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk)
    acks = None
    if _is_manager(request.user):
        acks = selectors.acknowledgements_visible_to(request.user).filter(
            regulation=regulation, version=regulation.version
        )
    mine = selectors.outstanding_acknowledgements(staff=request.user).filter(regulation=regulation).first()
    return render(
        request,
        "compliance/regulation_detail.html",
        {
            "regulation": regulation,
            "acks": acks,
            "mine": mine,
            "is_manager": _is_manager(request.user),
            "revise_form": RegulationReviseForm(),
        },
    )


def _download(field):
    """An uploaded file, served only after the view has checked the user may see its record
    (uploads are never served straight from MEDIA_URL)."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


def regulation_document(request, pk):
    return _download(get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk).document)


def session_materials(request, pk):
    return _download(get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk).materials)


def _regulation_save(request, *, instance, saved_message, title):
    """The create and edit pages: one form, published through the same service."""
    form = RegulationForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        branches=visible_branches(request.user),
        # The regulation itself stays in the list: choosing it is refused with a clear message.
        regulations=selectors.regulations_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            regulation = services.regulation_publish(
                regulation=form.save(commit=False),
                roles=form.cleaned_data["applies_to_roles"],
                branches=form.cleaned_data["applies_to_branches"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved_message)
            return redirect("compliance-regulation", pk=regulation.pk)
    return render(request, "compliance/form.html", {"form": form, "title": title, "upload": True})


@role_required(*OVERSIGHT_ROLES)
def regulation_create(request):
    return _regulation_save(
        request,
        instance=None,
        saved_message=_("Regulation published; staff have been asked to acknowledge it."),
        title=_("New regulation"),
    )


@role_required(*OVERSIGHT_ROLES)
def regulation_edit(request, pk):
    regulation = get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk)
    return _regulation_save(
        request, instance=regulation, saved_message=_("Regulation saved."), title=_("Edit regulation")
    )


@role_required(*OVERSIGHT_ROLES)
@require_POST
def regulation_revise(request, pk):
    regulation = get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk)
    form = RegulationReviseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.regulation_revise(
                regulation=regulation,
                version=form.cleaned_data["version"],
                effective_on=form.cleaned_data["effective_on"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            _message_errors(request, error)
        else:
            messages.success(request, _("New version published; staff must acknowledge it again."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("compliance-regulation", pk=regulation.pk)


def acknowledgement_list(request):
    mine = selectors.acknowledgements_visible_to(request.user).filter(staff=request.user)
    return render(
        request,
        "compliance/acknowledgement_list.html",
        {
            "outstanding": selectors.outstanding_acknowledgements(staff=request.user),
            "done": mine.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[:50],
        },
    )


@require_POST
def acknowledgement_confirm(request, pk):
    ack = get_object_or_404(
        selectors.acknowledgements_visible_to(request.user).filter(staff=request.user), pk=pk
    )
    services.acknowledgement_confirm(acknowledgement=ack, staff=request.user)
    messages.success(
        request, _("Thank you: you confirmed you studied “%(title)s”.") % {"title": ack.regulation.title}
    )
    # Back to the page the button was on, never to another site (open redirect).
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "compliance-acknowledgements"
    return redirect(target)


# --- Training sessions and morning meetings ----------------------------------------------


def session_list(request):
    sessions = selectors.sessions_visible_to(request.user)
    kind = request.GET.get("kind")
    if kind in TrainingKind.values:
        sessions = sessions.filter(kind=kind)
    return render(
        request,
        "compliance/session_list.html",
        {
            "sessions": sessions[:200],
            "kinds": TrainingKind.choices,
            "kind": kind,
            "is_manager": _is_manager(request.user),
        },
    )


def session_detail(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    is_manager = _is_manager(request.user)
    is_meeting = session.kind == TrainingKind.MORNING_MEETING
    context = {
        "session": session,
        "attendance": session.attendance.select_related("staff__profile").order_by(
            "staff__profile__employee_no"
        ),
        "regulations": session.regulations.all(),
        "is_manager": is_manager,
        "is_meeting": is_meeting,
        "problems": session.problems.select_related("owner__profile"),
    }
    if is_meeting:
        context["carried"] = selectors.carried_problems(meeting=session)
        context["previous"] = selectors.previous_meeting(meeting=session)
    if is_manager:
        context["minutes_form"] = MinutesForm(instance=session)
        context["problem_form"] = ProblemForm(branch_ids=[session.branch_id])
    return render(request, "compliance/session_detail.html", context)


@role_required(*OVERSIGHT_ROLES)
def session_create(request):
    branches = visible_branches(request.user)
    branch_ids = visible_branch_ids(request.user)
    form = SessionCreateForm(
        request.POST or None,
        request.FILES or None,
        branches=branches,
        branch_ids=branch_ids,
        regulations=selectors.regulations_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.training_session_create(
                branch=data["branch"],
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                presenter=data["presenter"],
                topics=data["topics"],
                regulations=data["regulations"],
                materials=data["materials"] or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session created with the branch's staff on its roll."))
            return redirect("compliance-session", pk=session.pk)
    return render(
        request, "compliance/form.html", {"form": form, "title": _("New training session"), "upload": True}
    )


@role_required(*OVERSIGHT_ROLES)
def session_edit(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    form = TrainingSessionForm(
        request.POST or None,
        request.FILES or None,
        instance=session,
        branch_ids=[session.branch_id],
        regulations=selectors.regulations_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if not fields["materials"]:
            fields.pop("materials")
        try:
            services.training_session_update(session=session, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect("compliance-session", pk=session.pk)
    return render(request, "compliance/form.html", {"form": form, "title": _("Edit session"), "upload": True})


@role_required(*OVERSIGHT_ROLES)
def session_attendance(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    rows = list(session.attendance.select_related("staff__profile").order_by("staff__profile__employee_no"))
    form = AttendanceForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        entries = [
            (
                row.staff,
                form.cleaned_data[f"status_{row.staff_id}"],
                form.cleaned_data[f"reason_{row.staff_id}"],
            )
            for row in rows
        ]
        try:
            services.attendance_record_many(session=session, entries=entries)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("compliance-session", pk=session.pk)
    return render(
        request,
        "compliance/attendance_form.html",
        {"session": session, "form": form, "add_form": AttendanceAddForm()},
    )


@role_required(*OVERSIGHT_ROLES)
@require_POST
def session_attendance_add(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    form = AttendanceAddForm(request.POST)
    if form.is_valid():
        profile = staff_visible_to(request.user).filter(employee_no=form.cleaned_data["employee_no"]).first()
        if profile is None:
            messages.error(request, _("No staff member with that employee number."))
        else:
            try:
                services.attendance_record(
                    session=session,
                    staff=profile.user,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _message_errors(request, error)
            else:
                messages.success(request, _("Attendance saved."))
    return redirect("compliance-session-attendance", pk=session.pk)


@role_required(*OVERSIGHT_ROLES)
@require_POST
def meeting_minutes(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    form = MinutesForm(request.POST, instance=session)
    if form.is_valid():
        services.meeting_minutes_save(meeting=session, work_reviewed=form.cleaned_data["work_reviewed"])
        messages.success(request, _("Minutes saved."))
    return redirect("compliance-session", pk=session.pk)


@role_required(*OVERSIGHT_ROLES)
def meeting_problem_create(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    form = ProblemForm(request.POST or None, branch_ids=[session.branch_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_problem_raise(
                meeting=session,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Problem recorded."))
            return redirect("compliance-session", pk=session.pk)
    return render(request, "compliance/form.html", {"form": form, "title": _("Raise a problem")})


def problem_resolve(request, pk):
    problem = get_object_or_404(selectors.problems_visible_to(request.user), pk=pk, status=ProblemStatus.OPEN)
    if not (_is_manager(request.user) or problem.owner_id == request.user.pk):
        raise Http404
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_problem_resolve(problem=problem, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Problem resolved."))
            return redirect("compliance-session", pk=problem.meeting_id)
    return render(
        request,
        "compliance/form.html",
        {"form": form, "title": _("Resolve: %(p)s") % {"p": problem.description[:60]}},
    )


def problem_list(request):
    problems = selectors.problems_visible_to(request.user).select_related("meeting")
    if not _is_manager(request.user):
        problems = problems.filter(owner=request.user)
    status = request.GET.get("status", ProblemStatus.OPEN)
    if status in ProblemStatus.values:
        problems = problems.filter(status=status)
    return render(
        request,
        "compliance/problem_list.html",
        {"problems": problems.order_by("due_on")[:300], "status": status, "today": timezone.localdate()},
    )


# --- Question bank and tests -------------------------------------------------------------


@role_required(*OVERSIGHT_ROLES)
def question_list(request):
    return render(
        request, "compliance/question_list.html", {"questions": selectors.questions_for(request.user)[:500]}
    )


@role_required(*OVERSIGHT_ROLES)
def question_create(request):
    regulations = selectors.regulations_visible_to(request.user)
    form = QuestionForm(request.POST or None, regulations=regulations)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                choices=form.choices(),
                regulation=form.cleaned_data["regulation"],
                topic=form.cleaned_data["topic"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
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
            "is_manager": _is_manager(request.user),
        },
    )


@role_required(*OVERSIGHT_ROLES)
def test_create(request):
    form = KnowledgeTestForm(
        request.POST or None,
        branches=visible_branches(request.user),
        questions=selectors.questions_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            test = services.knowledge_test_create(
                branch=form.cleaned_data["branch"],
                title=form.cleaned_data["title"],
                questions=form.cleaned_data["questions"],
                pass_mark=form.cleaned_data["pass_mark"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Test created."))
            return redirect("compliance-test", pk=test.pk)
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
            "is_manager": _is_manager(request.user),
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
        _message_errors(request, error)
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
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.attempt_submit(attempt=attempt, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your score: %(score)s (pass mark %(mark)s).")
                % {"score": attempt.score, "mark": attempt.test.pass_mark},
            )
            return redirect("compliance-attempt", pk=attempt.pk)
    return render(request, "compliance/attempt_take.html", {"attempt": attempt, "form": form})


# --- Violations --------------------------------------------------------------------------


def violation_list(request):
    violations = selectors.violations_visible_to(request.user)
    status = request.GET.get("status")
    if status in ViolationStatus.values:
        violations = violations.filter(status=status)
    year = request.GET.get("year")
    if year and year.isdigit():
        violations = violations.filter(occurred_on__year=int(year))
    return render(
        request,
        "compliance/violation_list.html",
        {
            "violations": violations[:300],
            "is_manager": _is_manager(request.user),
            "statuses": ViolationStatus.choices,
            "status": status,
        },
    )


def violation_detail(request, pk):
    violation = get_object_or_404(selectors.violations_visible_to(request.user), pk=pk)
    return render(
        request,
        "compliance/violation_detail.html",
        {
            "violation": violation,
            "is_manager": _is_manager(request.user),
            "is_own": violation.staff_id == request.user.pk,
            "appeal_form": AppealForm(initial={"appeal_note": violation.appeal_note}),
        },
    )


@role_required(*OVERSIGHT_ROLES)
def violation_create(request):
    branch_ids = visible_branch_ids(request.user)
    form = ViolationForm(
        request.POST or None,
        branch_ids=branch_ids,
        regulations=selectors.regulations_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.violation_record(
                staff=data["staff"],
                recorded_by=request.user,
                approved_by=data["approved_by"],
                occurred_on=data["occurred_on"],
                rule=data["rule"],
                regulation=data["regulation"],
                source=data["source"],
                description=data["description"],
                penalty_kind=data["penalty_kind"],
                fine_amount=data["fine_amount"],
                score_deduction=data["score_deduction"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Violation recorded."))
            return redirect("compliance-violation", pk=violation.pk)
    return render(request, "compliance/form.html", {"form": form, "title": _("Record a violation")})


@role_required(*OVERSIGHT_ROLES)
@require_POST
def violation_decide(request, pk, decision):
    violation = get_object_or_404(selectors.violations_visible_to(request.user), pk=pk)
    try:
        if decision == "approve":
            services.violation_approve(violation=violation, approved_by=request.user)
            messages.success(request, _("Violation approved."))
        else:
            services.violation_withdraw(violation=violation, withdrawn_by=request.user)
            messages.success(request, _("Violation withdrawn."))
    except ValidationError as error:
        _message_errors(request, error)
    return redirect("compliance-violation", pk=violation.pk)


@require_POST
def violation_appeal(request, pk):
    violation = get_object_or_404(selectors.violations_visible_to(request.user), pk=pk, staff=request.user)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.violation_appeal(
                violation=violation, staff=request.user, note=form.cleaned_data["appeal_note"]
            )
        except ValidationError as error:
            _message_errors(request, error)
        else:
            messages.success(request, _("Your appeal has been recorded."))
    else:
        messages.error(request, _("Write what you want to appeal."))
    return redirect("compliance-violation", pk=violation.pk)


# --- Records, the branch table and the monthly report ------------------------------------


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def _record(request, user_id):
    profile = get_object_or_404(staff_visible_to(request.user), user_id=user_id)
    return selectors.staff_record(profile=profile, year=_year(request), as_of=timezone.localdate())


def my_record(request):
    if profile_of(request.user) is None:
        raise Http404
    return staff_record(request, request.user.pk)


def staff_record(request, user_id):
    record = _record(request, user_id)
    return render(request, "compliance/staff_record.html", {"record": record})


def staff_record_export(request, user_id):
    record = _record(request, user_id)
    profile = record["profile"]
    return exports.workbook_response(
        exports.staff_record_workbook(record), f"compliance-{profile.employee_no}-{record['year']}.xlsx"
    )


@role_required(*OVERSIGHT_ROLES)
def branch_overview(request):
    today = timezone.localdate()
    start, end = selectors.year_span(today)
    figures = selectors.branch_figures(user=request.user, start=start, end=end)
    if request.GET.get("format") == "xlsx":
        workbook = exports.Workbook()
        exports.figures_sheet(workbook, _("Staff"), figures)
        return exports.workbook_response(workbook, f"compliance-branch-{today.isoformat()}.xlsx")
    return render(
        request,
        "compliance/branch_overview.html",
        {
            "figures": figures,
            "start": start,
            "end": end,
            "behind": sum(1 for row in figures if row.is_behind),
        },
    )


def _month(request) -> tuple[int, int]:
    try:
        day = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        day = timezone.localdate().replace(day=1)
    return day.year, day.month


@role_required(*OVERSIGHT_ROLES)
def monthly_report(request):
    year, month = _month(request)
    report = selectors.monthly_report(user=request.user, year=year, month=month)
    if request.GET.get("format") == "xlsx":
        return exports.workbook_response(
            exports.monthly_report_workbook(report), f"compliance-report-{year}-{month:02d}.xlsx"
        )
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    following = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    return render(
        request,
        "compliance/monthly_report.html",
        {"report": report, "month": first.strftime("%Y-%m"), "previous": previous, "following": following},
    )
