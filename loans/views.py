from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import (
    LOAN_WORK_ROLES,
    Role,
    has_role,
    role_required,
    visible_branch_ids,
    visible_branches,
)
from core.db_routers import reads_from_replica
from core.forms import submit_form
from loans import exports
from loans.domain import is_non_performing
from loans.forms import (
    ClassificationDecideForm,
    ClassificationProposeForm,
    LoanFilterForm,
    RepaymentForm,
    quote_date_form,
)
from loans.models import Bucket, PersonalField, RepaymentSource, RevealChannel, RiskClass
from loans.quotes import loan_quote
from loans.selectors import (
    LOAN_SORTS,
    borrowers_visible_to,
    classification_pending_for,
    industry_policy_for,
    loan_history,
    loans_filtered,
    loans_visible_to,
    may_reveal_portfolio,
    officers_visible_to,
    restructurings_of,
    schedule_shown,
)
from loans.selectors import (
    loan_detail as loan_detail_select,
)
from loans.services import (
    PersonalValue,
    classification_decide,
    classification_propose,
    npl_exit_missing,
    personal_data_check_reveal,
    personal_data_may_reveal,
    personal_data_show_many,
    repayment_record,
)

PAGE_SIZE = 50


def _several(request, names: tuple[str, ...], allowed) -> list[str] | None:
    """Repeated query values (``?class=3&class=4&class=5``): the valid ones when more than
    one is given, else None (the form's single select applies)."""
    values = [value for name in names for value in request.GET.getlist(name) if value]
    if len(values) < 2:
        return None
    return [value for value in values if value in allowed]


def _filtered_loans(request):
    data = request.GET.copy()
    if data.get("class") and not data.get("risk_class"):
        data.setlist("risk_class", data.getlist("class"))  # the API's name for the filter
    classes = _several(request, ("risk_class", "class"), {str(value) for value in RiskClass.values})
    buckets = _several(request, ("bucket",), set(Bucket.values))
    for name, several in (("risk_class", classes), ("bucket", buckets)):
        if several is not None:
            data.pop(name, None)  # the single select shows "—"; the list is filtered by all
    form = LoanFilterForm(
        data or None,
        officers=officers_visible_to(request.user),
        branches=visible_branches(request.user).order_by("code"),
        several_branches=len(visible_branch_ids(request.user)) > 1,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or ""
    loans = loans_filtered(
        request.user,
        officer_id=filters["officer"].pk if filters.get("officer") else None,
        product=filters.get("product") or "",
        risk_class=[int(value) for value in classes] if classes is not None else filters.get("risk_class"),
        bucket=buckets if buckets is not None else filters.get("bucket") or "",
        group=filters.get("group") or "",
        branch_id=filters["branch"].pk if filters.get("branch") else None,
        q=filters.get("q") or "",
        sort=sort if sort.lstrip("-") in LOAN_SORTS else "",
    )
    return form, loans, sort


# (label, sort key or None) of the loan list's columns; a key makes the header a sort link.
LOAN_COLUMNS = [
    (gettext_lazy("Loan number"), "loan_no"),
    (gettext_lazy("Borrower"), "borrower"),
    (gettext_lazy("ID number"), None),
    (gettext_lazy("Product"), "product"),
    (gettext_lazy("Officer"), None),
    (gettext_lazy("Balance"), "balance"),
    (gettext_lazy("Days past due"), "days_past_due"),
    (gettext_lazy("Bucket"), None),
    (gettext_lazy("Class"), "risk_class"),
    (gettext_lazy("Matures on"), "matures_on"),
]


def _sort_headers(sort: str, base_query: str) -> list[dict]:
    headers = []
    for label, key in LOAN_COLUMNS:
        header = {"label": label, "url": None, "arrow": ""}
        if key:
            descending = sort == key
            header["url"] = f"?{base_query}&sort={'-' if descending else ''}{key}".replace("?&", "?")
            header["arrow"] = "▲" if sort == key else ("▼" if sort == f"-{key}" else "")
        headers.append(header)
    return headers


def loan_list(request):
    form, loans, sort = _filtered_loans(request)
    page = Paginator(loans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "loans/loan_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "headers": _sort_headers(sort, sort_query.urlencode()),
            "query": query.urlencode(),
            "may_reveal": may_reveal_portfolio(request.user),
        },
    )


@reads_from_replica()
def loan_export(request):
    _form, loans, _sort = _filtered_loans(request)
    reveal = request.GET.get("reveal") == "1" and may_reveal_portfolio(request.user)
    loans = list(loans)
    # A full export is a reveal of every row it shows in full: one log row per value.
    values = [
        PersonalValue(getattr(loan.borrower, field), field, loan.borrower_id, loan.officer_id, loan.pk)
        for loan in loans
        for field in (PersonalField.ID_NUMBER, PersonalField.PHONE)
    ]
    shown = personal_data_show_many(
        user=request.user, values=values, where=RevealChannel.EXPORT, reveal=reveal
    )
    by_loan = {loan.pk: (shown[2 * index], shown[2 * index + 1]) for index, loan in enumerate(loans)}

    def show(loan):
        return by_loan[loan.pk]

    response = HttpResponse(
        exports.loans_workbook(loans, show_personal=show),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename()}"'
    return response


def _loan_detail_page(request, loan_no: str, *, revealed: bool = False, status: int = 200):
    loan = loan_detail_select(request.user, loan_no=loan_no)
    guarantors = list(loan.guarantors.all())
    changes = list(loan.classification_changes.all())
    quote_form, quote_on = quote_date_form(request.GET, today=timezone.localdate())
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "revealed": revealed,
            "may_reveal": personal_data_may_reveal(request.user, officer_id=loan.officer_id),
            "schedule": schedule_shown(
                list(loan.schedule.all()),
                today=timezone.localdate(),
                full=request.GET.get("schedule") == "all",
            ),
            "repayments": list(loan.repayments.all()),
            "collateral": list(loan.collateral.all()),
            "guarantors": guarantors,
            "changes": changes,
            "pending": next((change for change in changes if change.status == "pending"), None),
            "history": loan_history(loan),
            "industry_policy": _industry_policy(loan.borrower.industry_code),
            "may_act": has_role(request.user, *LOAN_WORK_ROLES),
            "today": timezone.localdate(),
            "quote_form": quote_form,
            "quote": loan_quote(loan=loan, on=quote_on),
            "restructurings": restructurings_of(loan),
        },
        status=status,
    )


def _industry_policy(code: str):
    """The credit policy of the borrower's industry (restricted / prohibited are flagged on
    the page)."""
    if not code:
        return None
    return industry_policy_for({code}).get(code)


def loan_detail(request, loan_no):
    return _loan_detail_page(request, loan_no)


@require_POST
def loan_reveal(request, loan_no):
    loan = get_object_or_404(loans_visible_to(request.user), loan_no=loan_no)
    personal_data_check_reveal(request.user, officer_id=loan.officer_id)
    # The page logs each value it shows in full ({% personal %}).
    return _loan_detail_page(request, loan_no, revealed=True)


@role_required(*LOAN_WORK_ROLES)
def repayment_create(request, loan_no):
    loan = get_object_or_404(loans_visible_to(request.user).select_related("borrower"), loan_no=loan_no)
    form = RepaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    outcome = submit_form(
        request,
        form,
        lambda data: repayment_record(
            loan=loan, source=RepaymentSource.STAFF, recorded_by=request.user, **data
        ),
    )
    if outcome:
        _repayment, created = outcome.value
        if created:
            messages.success(request, _("Repayment recorded."))
        else:
            messages.info(request, _("This reference was already recorded; nothing was added."))
        return redirect("loan-detail", loan_no=loan.loan_no)
    return render(request, "loans/repayment_form.html", {"loan": loan, "form": form})


@role_required(*LOAN_WORK_ROLES)
def classification_create(request, loan_no):
    loan = get_object_or_404(loans_visible_to(request.user).select_related("borrower"), loan_no=loan_no)
    form = ClassificationProposeForm(request.POST or None, initial={"to_class": loan.risk_class})
    outcome = submit_form(
        request,
        form,
        lambda data: classification_propose(
            loan=loan, to_class=data["to_class"], reason=data["reason"], proposed_by=request.user
        ),
    )
    if outcome:
        if outcome.value.status == "pending":
            messages.success(request, _("Proposal sent to the branch head for approval."))
        else:
            messages.success(request, _("Class changed."))
        return redirect("loan-detail", loan_no=loan.loan_no)
    missing = npl_exit_missing(loan=loan) if is_non_performing(loan.risk_class) else []
    return render(request, "loans/classification_form.html", {"loan": loan, "form": form, "missing": missing})


@role_required(Role.BRANCH_HEAD)
def classification_pending(request):
    return render(
        request, "loans/classification_pending.html", {"changes": classification_pending_for(request.user)}
    )


@role_required(Role.BRANCH_HEAD)
def classification_decision(request, pk):
    change = get_object_or_404(classification_pending_for(request.user), pk=pk)
    form = ClassificationDecideForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        lambda data: classification_decide(
            change=change,
            decided_by=request.user,
            approve=request.POST.get("decision") == "approve",
            note=data["note"],
        ),
    )
    if outcome:
        messages.success(request, _("Decision recorded."))
        return redirect("classification-pending")
    missing = npl_exit_missing(loan=change.loan) if is_non_performing(change.loan.risk_class) else []
    return render(
        request, "loans/classification_decide.html", {"change": change, "form": form, "missing": missing}
    )


def borrower_list(request):
    q = (request.GET.get("q") or "").strip()
    borrowers = borrowers_visible_to(request.user).select_related("officer__profile").order_by("name", "pk")
    if q:
        borrowers = borrowers.filter(name__icontains=q) | borrowers.filter(id_number__iexact=q)
    page = Paginator(borrowers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "loans/borrower_list.html", {"page": page, "q": q})


def _borrower_page(request, pk, *, revealed=False):
    borrower = get_object_or_404(borrowers_visible_to(request.user).select_related("officer__profile"), pk=pk)
    loans = loans_visible_to(request.user).filter(borrower=borrower).select_related("officer__profile")
    return render(
        request,
        "loans/borrower_detail.html",
        {
            "borrower": borrower,
            "revealed": revealed,
            "may_reveal": personal_data_may_reveal(request.user, officer_id=borrower.officer_id),
            "industry_policy": _industry_policy(borrower.industry_code),
            "loans": loans,
        },
    )


def borrower_detail(request, pk):
    return _borrower_page(request, pk)


@require_POST
def borrower_reveal(request, pk):
    borrower = get_object_or_404(borrowers_visible_to(request.user), pk=pk)
    personal_data_check_reveal(request.user, officer_id=borrower.officer_id)
    return _borrower_page(request, pk, revealed=True)
