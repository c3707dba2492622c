from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import APPROVER_ROLES, OVERSIGHT_ROLES, has_role, role_required, visible_branch_ids
from core.forms import submit_form
from core.text import optional_int
from loans.models import IndustryPolicy
from loans.selectors import borrowers_visible_to, industry_policy_for, loans_visible_to
from screening.forms import (
    FaceSigningForm,
    IndustryPolicyForm,
    ReceiptForm,
    SignalCloseForm,
    SignalForm,
    SignalVerifyForm,
)
from screening.models import SignalStatus
from screening.selectors import (
    face_signing_gaps_visible_to,
    face_signings_visible_to,
    flagged_borrowers_visible_to,
    open_signals_visible_to,
    project_flags_visible_to,
    receipts_visible_to,
    signals_visible_to,
)
from screening.services import (
    down_payment_receipt_record,
    face_signing_record,
    fake_mortgage_check,
    industry_policy_save,
    signal_close,
    signal_raise,
    signal_verify,
)


def overview(request):
    user = request.user
    return render(
        request,
        "screening/overview.html",
        {
            "flagged_count": flagged_borrowers_visible_to(user).count(),
            "open_signals": open_signals_visible_to(user).count(),
            "gaps": face_signing_gaps_visible_to(user).count(),
            "project_flags": project_flags_visible_to(user).count()
            if has_role(user, *OVERSIGHT_ROLES)
            else None,
        },
    )


def policy_list(request):
    return render(request, "screening/policy_list.html", {"policies": IndustryPolicy.objects.all()})


@role_required(*APPROVER_ROLES)
def policy_edit(request, pk=None):
    policy = get_object_or_404(IndustryPolicy, pk=pk) if pk else IndustryPolicy()
    form = IndustryPolicyForm(request.POST or None, instance=policy)
    if submit_form(
        request, form, lambda _data: industry_policy_save(policy=form.instance, user=request.user)
    ):
        messages.success(request, _("Industry policy saved."))
        return redirect("industry-policy-list")
    return render(request, "screening/policy_form.html", {"form": form})


def flagged_customers(request):
    borrowers = list(flagged_borrowers_visible_to(request.user).select_related("officer__profile")[:500])
    policies = industry_policy_for({b.industry_code for b in borrowers})
    rows = [
        (b, policies[b.industry_code])
        for b in borrowers
        if b.industry_code in policies and policies[b.industry_code].is_flagged
    ]
    return render(request, "screening/flagged_customers.html", {"rows": rows})


def signal_list(request):
    signals = signals_visible_to(request.user)
    status = request.GET.get("status")
    if status in SignalStatus.values:
        signals = signals.filter(status=status)
    loan_no = request.GET.get("loan_no", "").strip()
    if loan_no:
        loan = loans_visible_to(request.user).filter(loan_no=loan_no).first()
        if loan is None:
            messages.error(request, _("No loan %(no)s in your portfolio.") % {"no": loan_no})
        else:
            return redirect(f"{request.path}new/{loan.borrower_id}/?loan={loan.pk}")
    page = Paginator(signals, 50).get_page(request.GET.get("page"))
    return render(request, "screening/signal_list.html", {"page": page, "status": status})


def signal_create(request, borrower_id):
    borrower = get_object_or_404(borrowers_visible_to(request.user), pk=borrower_id)
    loan = None
    if (loan_id := optional_int(request.GET.get("loan"))) is not None:
        loan = get_object_or_404(loans_visible_to(request.user), pk=loan_id, borrower=borrower)
    form = SignalForm(request.POST or None)
    outcome = submit_form(
        request, form, lambda data: signal_raise(borrower=borrower, loan=loan, raised_by=request.user, **data)
    )
    if outcome:
        messages.success(request, _("Signal raised; an on-site verification action was created."))
        return redirect("signal-detail", pk=outcome.value.pk)
    return render(request, "screening/signal_form.html", {"form": form, "borrower": borrower, "loan": loan})


def signal_detail(request, pk):
    signal = get_object_or_404(signals_visible_to(request.user), pk=pk)
    verify_form, close_form = SignalVerifyForm(), SignalCloseForm()
    if request.method == "POST":
        if _signal_update(request, signal):
            messages.success(request, _("Signal updated."))
        return redirect("signal-detail", pk=signal.pk)
    return render(
        request,
        "screening/signal_detail.html",
        {"signal": signal, "verify_form": verify_form, "close_form": close_form},
    )


def _signal_update(request, signal) -> bool:
    """Verify or close the signal (the detail page's two forms); errors become messages."""
    if "verify" in request.POST:
        form = SignalVerifyForm(request.POST)
        return bool(
            submit_form(
                request,
                form,
                lambda data: signal_verify(signal=signal, user=request.user, result=data["result"]),
                errors_as_messages=True,
            )
        )
    if "close" in request.POST:
        form = SignalCloseForm(request.POST)
        return bool(
            submit_form(
                request,
                form,
                lambda data: signal_close(signal=signal, user=request.user, note=data["note"]),
                errors_as_messages=True,
            )
        )
    return True  # neither form: nothing changed, and the page says so as it always did


def face_signing_list(request):
    return render(
        request,
        "screening/face_signing_list.html",
        {
            "gaps": face_signing_gaps_visible_to(request.user).order_by("disbursed_on")[:300],
            "gap_count": face_signing_gaps_visible_to(request.user).count(),
            "records": face_signings_visible_to(request.user)[:100],
        },
    )


def face_signing_create(request, loan_id):
    loan = get_object_or_404(loans_visible_to(request.user).select_related("borrower"), pk=loan_id)
    form = FaceSigningForm(request.POST or None, request.FILES or None, branch_id=loan.branch_id)
    if request.method == "GET":
        form.initial["signed_by"] = request.user.pk
    if submit_form(
        request, form, lambda data: face_signing_record(loan=loan, recorded_by=request.user, **data)
    ):
        messages.success(request, _("Face-signing record saved."))
        return redirect("face-signing-list")
    return render(
        request,
        "screening/face_signing_form.html",
        {"form": form, "loan": loan},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*OVERSIGHT_ROLES)
def project_flag_list(request):
    return render(request, "screening/project_flags.html", {"flags": project_flags_visible_to(request.user)})


@require_POST
@role_required(*APPROVER_ROLES)
def project_check_run(request):
    flags = fake_mortgage_check(as_of=timezone.localdate(), branch_ids=set(visible_branch_ids(request.user)))
    messages.success(
        request, _("Fake-mortgage check done: %(count)s flagged projects.") % {"count": len(flags)}
    )
    return redirect("fake-mortgage-list")


def receipt_list(request):
    form = ReceiptForm(request.POST or None)
    if submit_form(request, form, lambda data: _receipt_record(request, data)):
        messages.success(request, _("Receipt recorded."))
        return redirect("receipt-list")
    receipts = receipts_visible_to(request.user)[:300]
    return render(request, "screening/receipt_list.html", {"form": form, "receipts": receipts})


def _receipt_record(request, cleaned_data: dict):
    """The receipt form names its loan by number: only a loan in the user's portfolio."""
    data = dict(cleaned_data)
    loan = loans_visible_to(request.user).filter(loan_no=data.pop("loan_no").strip()).first()
    if loan is None:
        raise ValidationError({"loan_no": _("No such loan in your portfolio.")})
    return down_payment_receipt_record(loan=loan, recorded_by=request.user, **data)
