"""Pages of restructuring (重组 / 展期): the officer's proposal, the branch head's queue and
decision, and the review at the end of the observation period. Thin: the rules are in
loans.services.restructuring and loans.services.observation."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import LOAN_WORK_ROLES, Role, role_required
from core.forms import submit_form
from loans.forms import ClassificationDecideForm, RestructuringForm, RestructuringReviewForm
from loans.models import Restructuring, RestructuringStatus
from loans.selectors import loans_visible_to, restructurings_pending_for
from loans.services import (
    restructuring_decide,
    restructuring_exit_missing,
    restructuring_propose,
    restructuring_review,
)


@role_required(*LOAN_WORK_ROLES)
def restructuring_create(request, loan_no):
    loan = get_object_or_404(loans_visible_to(request.user).select_related("borrower"), loan_no=loan_no)
    initial = {
        "new_matures_on": loan.matures_on,
        "new_annual_rate": loan.annual_rate,
        "new_repayment_method": loan.repayment_method,
        "new_repayment_day": loan.repayment_day,
    }
    form = RestructuringForm(request.POST or None, initial=initial)
    outcome = submit_form(
        request, form, lambda data: restructuring_propose(loan=loan, proposed_by=request.user, **data)
    )
    if outcome:
        messages.success(request, _("Restructuring proposal sent to the branch head for approval."))
        return redirect("loan-detail", loan_no=loan.loan_no)
    return render(request, "loans/restructuring_form.html", {"loan": loan, "form": form})


@role_required(Role.BRANCH_HEAD)
def restructuring_pending(request):
    return render(
        request, "loans/restructuring_pending.html", {"proposals": restructurings_pending_for(request.user)}
    )


@role_required(Role.BRANCH_HEAD)
def restructuring_decision(request, pk):
    proposal = get_object_or_404(restructurings_pending_for(request.user), pk=pk)
    form = ClassificationDecideForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        lambda data: restructuring_decide(
            restructuring=proposal,
            decided_by=request.user,
            approve=request.POST.get("decision") == "approve",
            note=data["note"],
        ),
    )
    if outcome:
        messages.success(request, _("Decision recorded."))
        return redirect("restructuring-pending")
    return render(request, "loans/restructuring_decide.html", {"proposal": proposal, "form": form})


@role_required(Role.BRANCH_HEAD)
def restructuring_review_page(request, pk):
    restructuring = get_object_or_404(
        Restructuring.objects.filter(
            status=RestructuringStatus.APPROVED, left_on__isnull=True, loan__in=loans_visible_to(request.user)
        ).select_related("loan__borrower"),
        pk=pk,
    )
    form = RestructuringReviewForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        lambda data: restructuring_review(
            restructuring=restructuring,
            reviewed_by=request.user,
            resolved=data["resolved"],
            note=data["note"],
        ),
    )
    if outcome:
        messages.success(request, _("Review recorded."))
        return redirect("loan-detail", loan_no=restructuring.loan.loan_no)
    missing = restructuring_exit_missing(
        restructuring=restructuring, difficulty_resolved=True, as_of=timezone.localdate()
    )
    return render(
        request,
        "loans/restructuring_review.html",
        {"restructuring": restructuring, "form": form, "missing": missing},
    )
