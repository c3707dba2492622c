"""Violations: the list, recording one, the approver's decision and the staff's appeal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import OVERSIGHT_ROLES, role_required, visible_branch_ids
from compliance import selectors, services
from compliance.forms import AppealForm, ViolationForm
from compliance.models import ViolationStatus
from compliance.views.common import is_manager
from core.forms import submit_form
from core.text import optional_int


def violation_list(request):
    violations = selectors.violations_visible_to(request.user)
    status = request.GET.get("status")
    if status in ViolationStatus.values:
        violations = violations.filter(status=status)
    year = optional_int(request.GET.get("year"))
    if year is not None and 1900 <= year <= 2100:
        violations = violations.filter(occurred_on__year=year)
    return render(
        request,
        "compliance/violation_list.html",
        {
            "violations": violations[:300],
            "is_manager": is_manager(request.user),
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
            "is_manager": is_manager(request.user),
            "is_own": violation.staff_id == request.user.pk,
            "appeal_form": AppealForm(initial={"appeal_note": violation.appeal_note}),
        },
    )


@role_required(*OVERSIGHT_ROLES)
def violation_create(request):
    form = ViolationForm(
        request.POST or None,
        branch_ids=visible_branch_ids(request.user),
        regulations=selectors.regulations_visible_to(request.user),
    )
    outcome = submit_form(
        request,
        form,
        lambda data: services.violation_record(
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
        ),
    )
    if outcome:
        messages.success(request, _("Violation recorded."))
        return redirect("compliance-violation", pk=outcome.value.pk)
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
        for message in error.messages:
            messages.error(request, message)
    return redirect("compliance-violation", pk=violation.pk)


@require_POST
def violation_appeal(request, pk):
    violation = get_object_or_404(selectors.violations_visible_to(request.user), pk=pk, staff=request.user)
    form = AppealForm(request.POST)
    # An empty note gets this one plain sentence rather than the form's "required" error.
    if not form.is_valid():
        messages.error(request, _("Write what you want to appeal."))
    elif submit_form(
        request,
        form,
        lambda data: services.violation_appeal(
            violation=violation, staff=request.user, note=data["appeal_note"]
        ),
        errors_as_messages=True,
    ):
        messages.success(request, _("Your appeal has been recorded."))
    return redirect("compliance-violation", pk=violation.pk)
