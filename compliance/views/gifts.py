"""The gifts-and-hospitality register (礼品与宴请登记): every member of staff declares their
own; the branch head and compliance see the branch; the branch head reviews."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, has_role, role_required
from compliance import selectors, services
from compliance.forms import GiftDeclarationForm, GiftReviewForm
from compliance.views.common import is_manager
from core.forms import submit_form
from loans.selectors import borrowers_visible_to


def gift_list(request):
    gifts = selectors.gifts_visible_to(request.user)
    pending = request.GET.get("pending") == "1"
    if pending:
        gifts = gifts.filter(reviewed_at__isnull=True)
    return render(
        request,
        "compliance/gift_list.html",
        {
            "gifts": gifts[:300],
            "pending": pending,
            "is_manager": is_manager(request.user),
            "can_review": has_role(request.user, *APPROVER_ROLES),
            "limit": services.gift_accepted_limit(),
        },
    )


def gift_declare(request):
    form = GiftDeclarationForm(
        request.POST if request.method == "POST" else None, borrowers=borrowers_visible_to(request.user)
    )
    outcome = submit_form(
        request,
        form,
        lambda data: services.gift_declare(
            staff=request.user,
            kind=data["kind"],
            outcome=data["outcome"],
            value=data["value"],
            offered_on=data["offered_on"],
            borrower=data["borrower"],
            offered_by_name=data["offered_by_name"],
            description=data["description"],
        ),
    )
    if outcome:
        if outcome.value.violation_id:
            messages.warning(
                request,
                _(
                    "Declaration recorded. An accepted gift over the limit is a violation: it awaits the branch head's decision."
                ),
            )
        else:
            messages.success(request, _("Declaration recorded."))
        return redirect("compliance-gifts")
    return render(
        request, "compliance/form.html", {"form": form, "title": _("Declare a gift or hospitality")}
    )


@role_required(*APPROVER_ROLES)
def gift_review(request, pk):
    declaration = get_object_or_404(selectors.gifts_visible_to(request.user), pk=pk)
    form = GiftReviewForm(request.POST if request.method == "POST" else None)
    if submit_form(
        request,
        form,
        lambda data: services.gift_review(
            declaration=declaration, reviewed_by=request.user, note=data["note"]
        ),
    ):
        messages.success(request, _("Declaration reviewed."))
        return redirect("compliance-gifts")
    return render(
        request,
        "compliance/gift_review.html",
        {"form": form, "gift_rows": [declaration]},
    )
