"""Write-off pages: propose (from a loss loan's page), the heads' queue and decision, the
register with totals, one write-off with its recoveries, recording a recovery."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, LOAN_WORK_ROLES, role_required
from core.forms import submit_form
from loans.selectors import loans_visible_to
from writeoffs.forms import RecoveryForm, WriteOffDecideForm, WriteOffProposeForm
from writeoffs.models import WriteOff, WriteOffStatus
from writeoffs.selectors import (
    recoveries_of,
    write_off_for_detail,
    write_off_register,
    write_off_totals,
    write_offs_pending_for,
)
from writeoffs.services import (
    recovery_record,
    write_off_decide,
    write_off_may_decide,
    write_off_may_propose,
    write_off_propose,
)


def _write_off(request, pk) -> WriteOff:
    try:
        return write_off_for_detail(request.user, pk=pk)
    except WriteOff.DoesNotExist:
        raise Http404 from None


def register(request):
    status = request.GET.get("status", "")
    rows = write_off_register(request.user, status=status)
    return render(
        request,
        "writeoffs/register.html",
        {
            "rows": rows[:500],
            "totals": write_off_totals(rows),
            "status": status if status in WriteOffStatus.values else WriteOffStatus.APPROVED,
            "statuses": WriteOffStatus.choices,
        },
    )


@role_required(*LOAN_WORK_ROLES)
def propose(request, loan_no):
    loan = get_object_or_404(loans_visible_to(request.user).select_related("borrower"), loan_no=loan_no)
    form = WriteOffProposeForm(
        request.POST or None, initial={"principal": loan.balance, "interest": loan.overdue_interest}
    )
    outcome = submit_form(
        request, form, lambda data: write_off_propose(loan=loan, proposed_by=request.user, **data)
    )
    if outcome:
        messages.success(request, _("Write-off proposed: a branch head decides."))
        return redirect("writeoff-detail", pk=outcome.value.pk)
    return render(request, "writeoffs/propose.html", {"loan": loan, "form": form})


@role_required(*APPROVER_ROLES)
def pending(request):
    return render(request, "writeoffs/pending.html", {"rows": write_offs_pending_for(request.user)})


def detail(request, pk):
    write_off = _write_off(request, pk)
    return render(
        request,
        "writeoffs/detail.html",
        {
            "write_off": write_off,
            "recoveries": recoveries_of(write_off),
            "may_decide": write_off.status == WriteOffStatus.PROPOSED
            and write_off_may_decide(request.user, write_off)
            and write_off.proposed_by_id != request.user.pk,
            "may_record": write_off.status == WriteOffStatus.APPROVED
            and write_off_may_propose(request.user, write_off.loan),
        },
    )


@role_required(*APPROVER_ROLES)
def decide(request, pk):
    write_off = _write_off(request, pk)
    form = WriteOffDecideForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        lambda data: write_off_decide(
            write_off=write_off,
            decided_by=request.user,
            approve=request.POST.get("decision") == "approve",
            note=data["note"],
        ),
    )
    if outcome:
        messages.success(request, _("Decision recorded."))
        return redirect("writeoff-detail", pk=write_off.pk)
    return render(request, "writeoffs/decide.html", {"write_off": write_off, "form": form})


@role_required(*LOAN_WORK_ROLES)
def recovery_create(request, pk):
    write_off = _write_off(request, pk)
    form = RecoveryForm(request.POST or None, initial={"recovered_on": timezone.localdate()})
    outcome = submit_form(
        request, form, lambda data: recovery_record(write_off=write_off, recorded_by=request.user, **data)
    )
    if outcome:
        messages.success(request, _("Recovery recorded."))
        return redirect("writeoff-detail", pk=write_off.pk)
    return render(request, "writeoffs/recovery_form.html", {"write_off": write_off, "form": form})
