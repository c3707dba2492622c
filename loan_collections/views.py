"""Thin views: scope, validate a form, call a service, redirect with a message."""

import contextlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import OVERSIGHT_ROLES, Role, profile_of, role_required
from core.forms import submit_form
from loan_collections import selectors, services
from loan_collections.forms import (
    CaseOpenForm,
    CollectionSettingsForm,
    ContactForm,
    FollowUpCloseForm,
    LegalActionForm,
    LegalUpdateForm,
    MeasureForm,
    OverdueCauseForm,
    PlanForm,
    StageMoveForm,
)
from loan_collections.models import OPEN_STAGES, CollectionCase, PlanMeasure
from loans.forms import quote_date_form
from loans.models import LoanStatus
from loans.quotes import loan_quote
from loans.selectors import borrowers_visible_to, loans_visible_to
from loans.services import personal_data_check_reveal, personal_data_may_reveal


def _case_to_act_on(request, pk) -> CollectionCase:
    """A case the user may see (else 404) and may work on (else 403): the same rule the
    services apply (``can_act_on_case``), checked before the form is even shown."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    if not services.can_act_on_case(request.user, case):
        raise PermissionDenied
    return case


def worklist(request):
    context = selectors.worklist_for(request.user)
    context["status"] = selectors.quiet_status(request.user)
    context["today"] = timezone.localdate()
    # The cases and follow-ups this user may work on get the buttons to do so; the others
    # are listed for reading only (a compliance officer reviews, and logs no contacts).
    context["cases"] = list(context["cases"].order_by("next_action_on", "-days_past_due", "pk"))
    context["tasks"] = list(context["tasks"])
    acting = {case.pk for case in context["cases"] if services.can_act_on_case(request.user, case)}
    acting |= {task.case_id for task in context["tasks"] if services.can_act_on_case(request.user, task.case)}
    context["acting"] = acting
    return render(request, "loan_collections/worklist.html", context)


def case_detail(request, pk, *, revealed=False):
    case = get_object_or_404(
        selectors.cases_visible_to(request.user).select_related(
            "borrower", "officer__profile", "co_owner__profile"
        ),
        pk=pk,
    )
    loans = list(case.borrower.loans.all().select_related("overdue_cause").prefetch_related("schedule"))
    _form, quote_on = quote_date_form(request.GET, today=timezone.localdate())
    return render(
        request,
        "loan_collections/case_detail.html",
        {
            "case": case,
            "revealed": revealed,
            "may_reveal": personal_data_may_reveal(request.user, officer_id=case.borrower.officer_id),
            "loans": loans,
            "quote_on": quote_on,
            "quotes": [
                (loan.loan_no, loan_quote(loan=loan, on=quote_on))
                for loan in loans
                if loan.status == LoanStatus.ACTIVE
            ],
            "changes": case.stage_changes.select_related("changed_by__profile"),
            "contacts": case.contacts.select_related("officer__profile", "overridden_by__profile", "promise"),
            "plans": case.plans.prefetch_related("measures__owner__profile"),
            "legal_actions": case.legal_actions.all(),
            "tasks": case.tasks.select_related("closed_by__profile", "closed_by_contact"),
            "move_form": StageMoveForm(),
            "may_act": services.can_act_on_case(request.user, case),
        },
    )


@require_POST
def case_reveal(request, pk):
    """Show the borrower's phone in full (a deliberate, logged action: {% personal %})."""
    case = get_object_or_404(selectors.cases_visible_to(request.user).select_related("borrower"), pk=pk)
    personal_data_check_reveal(request.user, officer_id=case.borrower.officer_id)
    return case_detail(request, pk, revealed=True)


def case_open(request):
    borrowers = borrowers_visible_to(request.user).exclude(collection_cases__stage__in=OPEN_STAGES)
    form = CaseOpenForm(request.POST or None, borrowers=borrowers)
    outcome = submit_form(
        request,
        form,
        lambda data: services.case_open(
            borrower=data["borrower"], by=request.user, as_of=timezone.localdate(), reason=data["reason"]
        ),
    )
    if outcome:
        messages.success(request, _("Collection case opened."))
        return redirect("collections-case", pk=outcome.value.pk)
    return render(request, "loan_collections/form.html", {"form": form, "title": _("Open a collection case")})


def case_move(request, pk):
    case = _case_to_act_on(request, pk)
    form = StageMoveForm(request.POST or None)
    if submit_form(
        request,
        form,
        lambda data: services.case_move(
            case=case, to_stage=data["to_stage"], by=request.user, reason=data["reason"]
        ),
    ):
        messages.success(request, _("Case moved."))
        return redirect("collections-case", pk=case.pk)
    return render(
        request, "loan_collections/form.html", {"form": form, "title": _("Move the case"), "case": case}
    )


def contact_create(request, pk):
    """Log a contact; with ``?task=ID`` it is the contact made for that open follow-up,
    which it closes."""
    case = _case_to_act_on(request, pk)
    follow_up = None
    if request.GET.get("task", "").isdigit():
        follow_up = get_object_or_404(
            selectors.tasks_visible_to(request.user).filter(case=case, done_at__isnull=True),
            pk=int(request.GET["task"]),
        )
    form = ContactForm(
        request.POST or None, initial={"contacted_at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    if submit_form(
        request,
        form,
        lambda data: services.contact_log(case=case, by=request.user, follow_up=follow_up, **data),
    ):
        messages.success(request, _("Contact logged."))
        if follow_up is not None:
            return redirect("collections-worklist")
        return redirect("collections-case", pk=case.pk)
    return render(
        request,
        "loan_collections/contact_form.html",
        {"form": form, "case": case, "follow_up": follow_up, "title": _("Log a contact")},
    )


def plan_create(request, pk):
    case = _case_to_act_on(request, pk)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if submit_form(request, form, lambda data: services.plan_create(case=case, by=request.user, **data)):
        messages.success(request, _("Plan saved."))
        return redirect("collections-case", pk=case.pk)
    return render(
        request, "loan_collections/form.html", {"form": form, "title": _("Collection plan"), "case": case}
    )


def measure_add(request, pk):
    plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)
    form = MeasureForm(request.POST or None, branch_id=plan.branch_id)
    if submit_form(request, form, lambda data: services.plan_measure_add(plan=plan, by=request.user, **data)):
        messages.success(request, _("Measure added."))
        return (
            redirect("collections-case", pk=plan.case_id)
            if plan.case_id
            else redirect("collections-worklist")
        )
    return render(request, "loan_collections/form.html", {"form": form, "title": _("Add a measure")})


def legal_create(request, pk):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    form = LegalActionForm(request.POST or None, request.FILES or None)
    if submit_form(
        request, form, lambda data: services.legal_action_record(case=case, by=request.user, **data)
    ):
        messages.success(request, _("Lawsuit recorded."))
        return redirect("collections-case", pk=case.pk)
    return render(
        request,
        "loan_collections/form.html",
        {"form": form, "title": _("Record a lawsuit"), "case": case, "upload": True},
    )


def legal_update(request, pk):
    action = get_object_or_404(selectors.legal_actions_visible_to(request.user), pk=pk)
    initial = {"stage": action.stage, "outcome": action.outcome, "recovered_amount": action.recovered_amount}
    form = LegalUpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if submit_form(
        request, form, lambda data: services.legal_action_update(action=action, by=request.user, **data)
    ):
        messages.success(request, _("Lawsuit updated."))
        return redirect("collections-case", pk=action.case_id)
    return render(request, "loan_collections/form.html", {"form": form, "title": str(action), "upload": True})


def legal_document(request, pk):
    """The lawsuit's documents, for those who may see the case (never served from MEDIA_URL)."""
    action = get_object_or_404(selectors.legal_actions_visible_to(request.user), pk=pk)
    if not action.documents:
        raise Http404
    try:
        handle = action.documents.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=action.documents.name.rsplit("/", 1)[-1])


def overdue_cause(request, loan_pk):
    loan = get_object_or_404(loans_visible_to(request.user), pk=loan_pk)
    form = OverdueCauseForm(request.POST or None)
    if submit_form(
        request,
        form,
        lambda data: services.overdue_cause_record(
            loan=loan, by=request.user, on=timezone.localdate(), **data
        ),
    ):
        messages.success(request, _("Cause recorded."))
        case = CollectionCase.objects.filter(borrower_id=loan.borrower_id, stage__in=OPEN_STAGES).first()
        return redirect("collections-case", pk=case.pk) if case else redirect("collections-worklist")
    return render(
        request,
        "loan_collections/form.html",
        {"form": form, "title": _("Why is %(loan)s overdue?") % {"loan": loan}},
    )


@require_POST
def measure_done(request, pk):
    measure = get_object_or_404(
        PlanMeasure.objects.filter(plan__in=selectors.plans_visible_to(request.user)).select_related("plan"),
        pk=pk,
    )
    services.plan_measure_done(measure=measure, by=request.user, on=timezone.localdate())
    messages.success(request, _("Measure done."))
    return (
        redirect("collections-case", pk=measure.plan.case_id)
        if measure.plan.case_id
        else redirect("collections-worklist")
    )


@require_POST
def task_done(request, pk):
    """Close a follow-up without a contact: the reason is required (errors come back as messages)."""
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=pk)
    form = FollowUpCloseForm(request.POST)
    if submit_form(
        request,
        form,
        lambda data: services.follow_up_close(task=task, by=request.user, reason=data["reason"]),
        errors_as_messages=True,
    ):
        messages.success(request, _("Follow-up closed, with the reason kept."))
    return redirect("collections-worklist")


@role_required(*OVERSIGHT_ROLES)
def late_entries(request):
    """Contacts entered longer after they took place than the branch allows (补录), with the reason."""
    return render(
        request,
        "loan_collections/late_entries.html",
        {"contacts": selectors.late_entries_visible_to(request.user)[:500]},
    )


@role_required(Role.BRANCH_HEAD)
def settings_edit(request):
    profile = profile_of(request.user)
    instance = selectors.settings_for_branch(profile.branch_id)
    form = CollectionSettingsForm(request.POST or None, instance=instance)
    if submit_form(
        request,
        form,
        lambda data: services.collection_settings_save(
            branch=profile.branch, by=request.user, **{name: data[name] for name in form.Meta.fields}
        ),
    ):
        messages.success(request, _("Collection rules saved."))
        return redirect("collections-settings")
    return render(request, "loan_collections/form.html", {"form": form, "title": _("Humane-timing rules")})


def targets(request):
    year = timezone.localdate().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    return render(
        request,
        "loan_collections/targets.html",
        {
            "year": year,
            "rows": selectors.officer_targets(request.user, year=year),
            "kept": selectors.promise_kept_rates(request.user, year=year),
        },
    )
