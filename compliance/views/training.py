"""Training sessions and morning meetings, with their attendance and problems."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import OVERSIGHT_ROLES, role_required, visible_branch_ids, visible_branches
from accounts.selectors import staff_visible_to
from compliance import selectors, services
from compliance.forms import (
    AttendanceAddForm,
    AttendanceForm,
    MinutesForm,
    ProblemForm,
    ResolveForm,
    SessionCreateForm,
    TrainingSessionForm,
)
from compliance.models import ProblemStatus, TrainingKind
from compliance.views.common import download, is_manager
from core.forms import submit_form


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
            "is_manager": is_manager(request.user),
        },
    )


def session_detail(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    manager = is_manager(request.user)
    is_meeting = session.kind == TrainingKind.MORNING_MEETING
    context = {
        "session": session,
        "attendance": session.attendance.select_related("staff__profile").order_by(
            "staff__profile__employee_no"
        ),
        "regulations": session.regulations.all(),
        "is_manager": manager,
        "is_meeting": is_meeting,
        "problems": session.problems.select_related("owner__profile"),
    }
    if is_meeting:
        context["carried"] = selectors.carried_problems(meeting=session)
        context["previous"] = selectors.previous_meeting(meeting=session)
    if manager:
        context["minutes_form"] = MinutesForm(instance=session)
        context["problem_form"] = ProblemForm(branch_ids=[session.branch_id])
    return render(request, "compliance/session_detail.html", context)


def session_materials(request, pk):
    return download(get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk).materials)


@role_required(*OVERSIGHT_ROLES)
def session_create(request):
    form = SessionCreateForm(
        request.POST or None,
        request.FILES or None,
        branches=visible_branches(request.user),
        branch_ids=visible_branch_ids(request.user),
        regulations=selectors.regulations_visible_to(request.user),
    )
    outcome = submit_form(
        request,
        form,
        lambda data: services.training_session_create(
            branch=data["branch"],
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            duration_minutes=data["duration_minutes"],
            presenter=data["presenter"],
            topics=data["topics"],
            regulations=data["regulations"],
            materials=data["materials"] or None,
        ),
    )
    if outcome:
        messages.success(request, _("Session created with the branch's staff on its roll."))
        return redirect("compliance-session", pk=outcome.value.pk)
    return render(
        request, "compliance/form.html", {"form": form, "title": _("New training session"), "upload": True}
    )


def _session_changes(form, data) -> dict:
    """The edited fields; an empty upload keeps the materials already there."""
    fields = {name: data[name] for name in form.Meta.fields}
    if not fields["materials"]:
        fields.pop("materials")
    return fields


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
    if submit_form(
        request,
        form,
        lambda data: services.training_session_update(session=session, **_session_changes(form, data)),
    ):
        messages.success(request, _("Session saved."))
        return redirect("compliance-session", pk=session.pk)
    return render(request, "compliance/form.html", {"form": form, "title": _("Edit session"), "upload": True})


@role_required(*OVERSIGHT_ROLES)
def session_attendance(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    rows = list(session.attendance.select_related("staff__profile").order_by("staff__profile__employee_no"))
    form = AttendanceForm(request.POST or None, rows=rows)
    if submit_form(
        request,
        form,
        lambda data: services.attendance_record_many(
            session=session,
            entries=[
                (row.staff, data[f"status_{row.staff_id}"], data[f"reason_{row.staff_id}"]) for row in rows
            ],
        ),
    ):
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

    def add(data):
        profile = staff_visible_to(request.user).filter(employee_no=data["employee_no"]).first()
        if profile is None:
            raise ValidationError(_("No staff member with that employee number."))
        return services.attendance_record(
            session=session, staff=profile.user, status=data["status"], reason=data["reason"]
        )

    # A form that does not validate is ignored without a message, as it always was: the page's
    # own form cannot send one (required fields, a fixed list of statuses).
    if form.is_valid() and submit_form(request, form, add, errors_as_messages=True):
        messages.success(request, _("Attendance saved."))
    return redirect("compliance-session-attendance", pk=session.pk)


@role_required(*OVERSIGHT_ROLES)
@require_POST
def meeting_minutes(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    form = MinutesForm(request.POST, instance=session)
    if submit_form(
        request,
        form,
        lambda data: services.meeting_minutes_save(meeting=session, work_reviewed=data["work_reviewed"]),
    ):
        messages.success(request, _("Minutes saved."))
    return redirect("compliance-session", pk=session.pk)


@role_required(*OVERSIGHT_ROLES)
def meeting_problem_create(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    form = ProblemForm(request.POST or None, branch_ids=[session.branch_id])
    if submit_form(
        request,
        form,
        lambda data: services.meeting_problem_raise(
            meeting=session, description=data["description"], owner=data["owner"], due_on=data["due_on"]
        ),
    ):
        messages.success(request, _("Problem recorded."))
        return redirect("compliance-session", pk=session.pk)
    return render(request, "compliance/form.html", {"form": form, "title": _("Raise a problem")})


def problem_resolve(request, pk):
    problem = get_object_or_404(selectors.problems_visible_to(request.user), pk=pk, status=ProblemStatus.OPEN)
    if not (is_manager(request.user) or problem.owner_id == request.user.pk):
        raise Http404
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if submit_form(request, form, lambda data: services.meeting_problem_resolve(problem=problem, **data)):
        messages.success(request, _("Problem resolved."))
        return redirect("compliance-session", pk=problem.meeting_id)
    return render(
        request,
        "compliance/form.html",
        {"form": form, "title": _("Resolve: %(p)s") % {"p": problem.description[:60]}},
    )


def problem_list(request):
    problems = selectors.problems_visible_to(request.user).select_related("meeting")
    if not is_manager(request.user):
        problems = problems.filter(owner=request.user)
    status = request.GET.get("status", ProblemStatus.OPEN)
    if status in ProblemStatus.values:
        problems = problems.filter(status=status)
    return render(
        request,
        "compliance/problem_list.html",
        {"problems": problems.order_by("due_on")[:300], "status": status, "today": timezone.localdate()},
    )
