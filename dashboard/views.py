import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    APPROVER_ROLES,
    OVERSIGHT_ROLES,
    profile_of,
    role_of,
    role_required,
    visible_branch_ids,
    visible_branches,
)
from accounts.selectors import staff_visible_to
from core.db_routers import reads_from_replica
from core.forms import submit_form
from dashboard.forms import ReportGenerateForm, SnapshotBuildForm, SnapshotImportForm
from dashboard.models import MonthlyReport, PortfolioSnapshot
from dashboard.presenters import dashboard_context
from dashboard.selectors import as_of_parse, dashboard_scope, today
from dashboard.selectors.approvals import (
    APPROVAL_KINDS,
    PAGE_SIZE,
    approval_counts,
    approval_kinds_for,
    approvals_filtered,
    may_decide,
)
from dashboard.services import (
    IMPORT_TEMPLATE,
    approvals_decide,
    monthly_report_generate,
    snapshot_build,
    snapshot_import_csv,
)


def _service_refusal(form) -> str | None:
    """The first message of a service's refusal, which these pages show as a message.

    The dashboard services raise plain ValidationErrors, which submit_form puts at the top
    of the form; the forms themselves raise field errors only, so anything at the top came
    from the service."""
    refusals = form.non_field_errors()
    return refusals[0] if refusals else None


@reads_from_replica()
def dashboard(request):
    """The branch head's page (an officer's own portfolio; a city user's branches)."""
    raw_date = request.GET.get("as_of", "")
    try:
        as_of = as_of_parse(raw_date)
    except ValidationError as error:
        return render(
            request, "dashboard/dashboard.html", {"error": error.messages[0], "as_of": raw_date}, status=400
        )
    scope = dashboard_scope(request.user, as_of=as_of, branch_code=request.GET.get("branch") or None)
    try:
        context = dashboard_context(request, scope)
    except ValidationError as error:
        return render(
            request, "dashboard/dashboard.html", {"error": error.messages[0], "as_of": raw_date}, status=400
        )
    return render(request, "dashboard/dashboard.html", context)


@role_required(*APPROVER_ROLES)
def snapshot_list(request):
    dates = (
        PortfolioSnapshot.objects.filter(branch_id__in=visible_branch_ids(request.user))
        .values("as_of")
        .annotate(balance=Sum("balance"), npl=Sum("npl_balance"), rows=Count("id"))
        .order_by("-as_of")[:36]
    )
    return render(
        request,
        "dashboard/snapshots.html",
        {
            "dates": dates,
            "build_form": SnapshotBuildForm(initial={"as_of": today()}),
            "import_form": SnapshotImportForm(),
            "template_csv": IMPORT_TEMPLATE,
        },
    )


@require_POST
@role_required(*APPROVER_ROLES)
def snapshot_build_view(request):
    form = SnapshotBuildForm(request.POST)
    outcome = submit_form(
        request,
        form,
        lambda data: snapshot_build(as_of=data["as_of"], branch_ids=list(visible_branch_ids(request.user))),
    )
    if outcome:
        messages.success(
            request,
            _("Snapshot of %(day)s built: %(rows)s rows.")
            % {"day": form.cleaned_data["as_of"], "rows": outcome.value},
        )
    else:
        messages.error(request, _service_refusal(form) or _("Give the snapshot date as YYYY-MM-DD."))
    return redirect("dashboard-snapshots")


@require_POST
@role_required(*APPROVER_ROLES)
def snapshot_import_view(request):
    form = SnapshotImportForm(request.POST, request.FILES)
    outcome = submit_form(
        request,
        form,
        lambda data: snapshot_import_csv(
            data=data["file"].read(), allowed_branch_ids=visible_branch_ids(request.user)
        ),
    )
    if outcome:
        messages.success(request, _("%(rows)s snapshot rows imported.") % {"rows": outcome.value})
    else:
        messages.error(
            request, _service_refusal(form) or " ".join(form.errors.get("file", [_("Choose a CSV file.")]))
        )
    return redirect("dashboard-snapshots")


@role_required(*OVERSIGHT_ROLES)
def report_list(request):
    """The reports, latest month first, and the form to make one (the user's branch and the
    month just over, unless changed)."""
    branches = visible_branches(request.user)
    profile = profile_of(request.user)
    form = ReportGenerateForm(
        request.POST or None, branches=branches, own_branch_id=profile.branch_id if profile else None
    )
    if request.method == "POST":
        if role_of(request.user) not in APPROVER_ROLES:
            raise PermissionDenied
        if submit_form(
            request,
            form,
            lambda data: monthly_report_generate(branch_id=data["branch"].pk, month=data["month"]),
        ):
            messages.success(request, _("The report was generated and emailed to the branch head."))
            return redirect("dashboard-reports")
        if refusal := _service_refusal(form):
            messages.error(request, refusal)
    reports = list(MonthlyReport.objects.filter(branch__in=branches).select_related("branch")[:60])
    own = [report for report in reports if profile and report.branch_id == profile.branch_id]
    return render(
        request,
        "dashboard/reports.html",
        {
            "reports": reports,
            "latest": (own or reports or [None])[0],
            "form": form,
            "can_generate": role_of(request.user) in APPROVER_ROLES,
        },
    )


@role_required(*OVERSIGHT_ROLES)
def report_file(request, pk, kind):
    report = get_object_or_404(MonthlyReport, pk=pk, branch_id__in=visible_branch_ids(request.user))
    field = {"xlsx": report.workbook, "pdf": report.pdf}.get(kind)
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _approval_filters(params, kinds) -> dict:
    kind = params.get("kind")
    if kind not in {k.key for k in kinds}:
        kind = kinds[0].key
    officer = params.get("officer", "")
    return {
        "kind_key": kind,
        "officer_id": int(officer) if officer.isdigit() else None,
        "date_from": _day(params.get("from")),
        "date_to": _day(params.get("to")),
    }


def approvals(request):
    """Everything waiting for this user's decision, one kind at a time, 50 rows a page; a
    batch of ticked rows is approved or rejected with one reason, row by row."""
    kinds = approval_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    if request.method == "POST":
        return _approvals_decide(request)
    filters = _approval_filters(request.GET, kinds)
    kind = APPROVAL_KINDS[filters["kind_key"]]
    page = Paginator(approvals_filtered(request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/approvals.html",
        {
            "kinds": approval_counts(request.user),
            "kind": kind,
            "filters": filters,
            "page": page,
            "rows": [kind.row(obj) for obj in page.object_list],
            "officers": staff_visible_to(request.user),
            "query": query.urlencode(),
        },
    )


def _approvals_decide(request):
    kind_key = request.POST.get("kind", "")
    if kind_key not in APPROVAL_KINDS:
        messages.error(request, _("Choose what to decide: the list's tabs name each kind."))
        return redirect("approvals")
    if not may_decide(request.user, kind_key):
        raise PermissionDenied
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    back = f"{reverse('approvals')}?{request.POST.get('query', '')}"
    if not ids:
        messages.error(request, _("Tick at least one row."))
        return redirect(back)
    rows = list(approvals_filtered(request.user, kind_key=kind_key).filter(pk__in=ids))
    outcome = approvals_decide(
        user=request.user,
        kind_key=kind_key,
        rows=rows,
        approve=request.POST.get("decision") == "approve",
        reason=request.POST.get("reason", "").strip(),
    )
    if outcome.done:
        messages.success(request, _("%(count)s decided.") % {"count": len(outcome.done)})
    for row, message in outcome.refused:
        messages.error(request, f"{APPROVAL_KINDS[kind_key].row(row)['subject']}: {message}")
    return redirect(back)
