import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import APPROVER_ROLES, OVERSIGHT_ROLES, role_required, visible_branch_ids
from accounts.models import StaffProfile
from core.forms import submit_form
from loans.selectors import loans_visible_to
from post_loan.coming_due import DEFAULT_HORIZON, KIND_LABELS, coming_due_visible_to
from post_loan.domain import month_bounds
from post_loan.forms import (
    ActionFilterForm,
    ActionTemplateForm,
    ComingDueFilterForm,
    CompletionForm,
    NewActionForm,
    ReassignForm,
    ReviewForm,
    WaiveForm,
)
from post_loan.models import ActionStatus, ActionTemplate, ReviewStatus
from post_loan.selectors import (
    actions_visible_to,
    penalties_visible_to,
    rates_per_officer,
    rates_per_template,
    scorecard,
    worklist_for,
)
from post_loan.services import (
    action_template_save,
    is_head_for,
    required_action_complete,
    required_action_create,
    required_action_reassign,
    required_action_review,
    required_action_waive,
)


def _staff_in_scope(user):
    return (
        get_user_model()
        .objects.filter(profile__branch_id__in=visible_branch_ids(user))
        .select_related("profile")
    )


def worklist(request):
    today = timezone.localdate()
    return render(
        request, "post_loan/worklist.html", {"lists": worklist_for(request.user, today=today), "today": today}
    )


def action_list(request):
    actions = actions_visible_to(request.user)
    form = ActionFilterForm(request.GET or None, officers=_staff_in_scope(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            actions = actions.filter(status=data["status"])
        if data["officer"]:
            actions = actions.filter(responsible=data["officer"])
        if data["template"]:
            actions = actions.filter(template=data["template"])
        if data["due_before"]:
            actions = actions.filter(due_on__lt=data["due_before"])
    if request.GET.get("review") == ReviewStatus.RETURNED:
        actions = actions.filter(review_status=ReviewStatus.RETURNED)
    page = Paginator(actions.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "post_loan/action_list.html", {"form": form, "page": page})


def action_detail(request, pk):
    action = get_object_or_404(actions_visible_to(request.user), pk=pk)
    if request.method == "POST":
        form = CompletionForm(request.POST, request.FILES, action=action)
    else:
        form = CompletionForm(action=action)
    if submit_form(
        request,
        form,
        lambda _data: required_action_complete(action=action, user=request.user, **form.service_kwargs()),
    ):
        messages.success(request, _("The action is recorded as done."))
        return redirect("action-detail", pk=action.pk)
    head = is_head_for(request.user, action)
    return render(
        request,
        "post_loan/action_detail.html",
        {
            "action": action,
            "form": form if action.is_open else None,
            "is_head": head,
            "review_form": ReviewForm() if head and action.status == ActionStatus.DONE else None,
            "waive_form": WaiveForm() if head and action.is_open else None,
            "reassign_form": ReassignForm(branch_id=action.branch_id) if head and action.is_open else None,
            "history": action.responsibility_changes.select_related(
                "from_user__profile", "to_user__profile", "changed_by__profile"
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


def action_evidence(request, pk, evidence_id):
    action = get_object_or_404(actions_visible_to(request.user), pk=pk)
    evidence = get_object_or_404(action.evidence, pk=evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


def _head_post(request, pk, form_class, call, done_message, **form_kwargs):
    action = get_object_or_404(actions_visible_to(request.user), pk=pk)
    form = form_class(request.POST, **({"branch_id": action.branch_id} if form_class is ReassignForm else {}))
    if submit_form(request, form, lambda data: call(action, data), errors_as_messages=True):
        messages.success(request, done_message)
    return redirect("action-detail", pk=action.pk)


@require_POST
@role_required(*APPROVER_ROLES)
def action_review(request, pk):
    return _head_post(
        request,
        pk,
        ReviewForm,
        lambda action, data: required_action_review(
            action=action, user=request.user, accepted=data["decision"] == "accept", comment=data["comment"]
        ),
        _("Review saved."),
    )


@require_POST
@role_required(*APPROVER_ROLES)
def action_waive(request, pk):
    return _head_post(
        request,
        pk,
        WaiveForm,
        lambda action, data: required_action_waive(action=action, user=request.user, reason=data["reason"]),
        _("The action is waived."),
    )


@require_POST
@role_required(*APPROVER_ROLES)
def action_reassign(request, pk):
    return _head_post(
        request,
        pk,
        ReassignForm,
        lambda action, data: required_action_reassign(
            action=action, user=request.user, to_user=data["to_user"], reason=data["reason"]
        ),
        _("The first responsible person is changed."),
    )


def action_create(request, loan_id):
    loan = get_object_or_404(loans_visible_to(request.user), pk=loan_id)
    form = NewActionForm(request.POST or None)
    if outcome := submit_form(request, form, lambda data: required_action_create(loan=loan, **data)):
        action, created = outcome.value
        if created:
            messages.success(request, _("The action is added."))
        else:
            messages.info(request, _("This action already exists."))
        return redirect("action-detail", pk=action.pk)
    return render(request, "post_loan/action_create.html", {"form": form, "loan": loan})


def _period(request) -> tuple[dt.date, dt.date, str]:
    month = request.GET.get("month") or timezone.localdate().strftime("%Y-%m")
    try:
        start, end = month_bounds(dt.date.fromisoformat(f"{month}-01"))
    except ValueError:
        start, end = month_bounds(timezone.localdate())
    return start, end, start.strftime("%Y-%m")


@role_required(*OVERSIGHT_ROLES)
def branch_overview(request):
    start, end, month = _period(request)
    actions = actions_visible_to(request.user)
    return render(
        request,
        "post_loan/branch_overview.html",
        {
            "month": month,
            "per_officer": rates_per_officer(actions, start=start, end=end),
            "per_template": rates_per_template(actions, start=start, end=end),
            "late": actions.filter(status=ActionStatus.LATE).order_by("due_on")[:100],
            "returned": actions.filter(review_status=ReviewStatus.RETURNED, status__in=["pending", "late"])[
                :100
            ],
            "awaiting_review": actions.filter(status=ActionStatus.DONE, review_status=ReviewStatus.NONE)[
                :100
            ],
        },
    )


@role_required(*OVERSIGHT_ROLES)
def monthly_scorecard(request):
    start, end, month = _period(request)
    return render(
        request,
        "post_loan/scorecard.html",
        {"month": month, "rows": scorecard(request.user, start=start, end=end)},
    )


@role_required(*OVERSIGHT_ROLES)
def penalty_list(request):
    penalties = penalties_visible_to(request.user)
    actions = {
        a.pk: a
        for a in actions_visible_to(request.user).filter(pk__in=[p.source_object_id for p in penalties[:200]])
    }
    rows = [(penalty, actions.get(penalty.source_object_id)) for penalty in penalties[:200]]
    return render(request, "post_loan/penalty_list.html", {"rows": rows})


@role_required(*OVERSIGHT_ROLES)
def template_list(request):
    return render(request, "post_loan/template_list.html", {"templates": ActionTemplate.objects.all()})


@role_required(*APPROVER_ROLES)
def template_edit(request, pk=None):
    template = get_object_or_404(ActionTemplate, pk=pk) if pk else ActionTemplate()
    form = ActionTemplateForm(request.POST or None, instance=template)
    if submit_form(
        request, form, lambda _data: action_template_save(template=form.instance, user=request.user)
    ):
        messages.success(request, _("Template saved."))
        return redirect("action-template-list")
    return render(request, "post_loan/template_form.html", {"form": form, "template": template})


def coming_due(request):
    """到期预警: what falls due within 30/60/90 days on the loans the user sees."""
    form = ComingDueFilterForm(request.GET or None)
    kind, horizon = "", DEFAULT_HORIZON
    if form.is_valid():
        kind, horizon = form.cleaned_data["kind"], form.cleaned_data["horizon"]
    today = timezone.localdate()
    items = coming_due_visible_to(request.user, as_of=today, horizon=horizon, kind=kind or None)
    counts = Counter(item.kind for item in items)
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    names = dict(
        StaffProfile.objects.filter(user_id__in={item.officer_id for item in page}).values_list(
            "user_id", "full_name"
        )
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "post_loan/coming_due.html",
        {
            "form": form,
            "page": page,
            "rows": [(item, names.get(item.officer_id, "")) for item in page],
            "counts": [(label, counts.get(key, 0)) for key, label in KIND_LABELS.items()],
            "horizon": horizon,
            "today": today,
            "query": query.urlencode(),
        },
    )
