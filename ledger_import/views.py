from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import APPROVER_ROLES, role_required
from core.forms import submit_form
from ledger_import.forms import UploadForm
from ledger_import.parsing import reason_text
from ledger_import.report import error_report_xlsx
from ledger_import.selectors import batches_visible_to
from ledger_import.services import batch_create, loans_mark_settled

ISSUES_SHOWN = 500


@role_required(*APPROVER_ROLES)
def batch_list(request):
    page = Paginator(batches_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "ledger_import/batch_list.html", {"page": page})


@role_required(*APPROVER_ROLES)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    outcome = submit_form(
        request,
        form,
        lambda data: batch_create(
            data=data["data"], file_name=data["file"].name, uploaded_by=request.user, kind=data["kind"]
        ),
    )
    if outcome:
        messages.info(request, _("The file was received; it is imported in the background."))
        return redirect("import-detail", pk=outcome.value.pk)
    return render(request, "ledger_import/upload.html", {"form": form})


def _issues(issues):
    return [
        {"row": issue["row"], "column": issue["column"], "reason": reason_text(issue["reason"])}
        for issue in issues[:ISSUES_SHOWN]
    ]


@role_required(*APPROVER_ROLES)
def batch_detail(request, pk):
    batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
    return render(
        request,
        "ledger_import/batch_detail.html",
        {
            "batch": batch,
            "errors": _issues(batch.errors),
            "warnings": _issues(batch.warnings),
            "issues_shown": ISSUES_SHOWN,
            "missing": batch.summary.get("missing", []),
        },
    )


@role_required(*APPROVER_ROLES)
def batch_progress(request, pk):
    batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
    return JsonResponse(
        {
            "status": batch.status,
            "status_display": batch.get_status_display(),
            "stage": batch.stage,
            "rows_done": batch.rows_done,
            "rows_total": batch.rows_total,
            "progress": batch.progress_pct,
            "final": batch.is_final,
        }
    )


@role_required(*APPROVER_ROLES)
def error_report(request, pk):
    batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
    response = HttpResponse(
        error_report_xlsx(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.xlsx"'
    return response


@require_POST
@role_required(*APPROVER_ROLES)
def mark_settled(request, pk):
    batch = get_object_or_404(batches_visible_to(request.user), pk=pk)
    try:
        count = loans_mark_settled(batch=batch, loan_ids=request.POST.getlist("loan"), user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(count)d loans marked settled.") % {"count": count})
    return redirect("import-detail", pk=batch.pk)
