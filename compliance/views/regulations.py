"""Regulations and acknowledgements."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import OVERSIGHT_ROLES, role_required, visible_branches
from compliance import selectors, services
from compliance.forms import RegulationForm, RegulationReviseForm
from compliance.views.common import download, is_manager
from core.forms import submit_form


def regulation_list(request):
    regulations = selectors.regulations_visible_to(request.user).select_related("superseded_by")
    category = request.GET.get("category")
    if category:
        regulations = regulations.filter(category=category)
    return render(
        request,
        "compliance/regulation_list.html",
        {"regulations": regulations, "is_manager": is_manager(request.user), "category": category},
    )


def regulation_detail(request, pk):
    regulation = get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk)
    acks = None
    if is_manager(request.user):
        acks = selectors.acknowledgements_visible_to(request.user).filter(
            regulation=regulation, version=regulation.version
        )
    mine = selectors.outstanding_acknowledgements(staff=request.user).filter(regulation=regulation).first()
    return render(
        request,
        "compliance/regulation_detail.html",
        {
            "regulation": regulation,
            "acks": acks,
            "mine": mine,
            "is_manager": is_manager(request.user),
            "revise_form": RegulationReviseForm(),
        },
    )


def regulation_document(request, pk):
    return download(get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk).document)


def _regulation_save(request, *, instance, saved_message, title):
    """The create and edit pages: one form, published through the same service."""
    form = RegulationForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        branches=visible_branches(request.user),
        # The regulation itself stays in the list: choosing it is refused with a clear message.
        regulations=selectors.regulations_visible_to(request.user),
    )
    outcome = submit_form(
        request,
        form,
        lambda data: services.regulation_publish(
            regulation=form.save(commit=False),
            roles=data["applies_to_roles"],
            branches=data["applies_to_branches"],
        ),
    )
    if outcome:
        messages.success(request, saved_message)
        return redirect("compliance-regulation", pk=outcome.value.pk)
    return render(request, "compliance/form.html", {"form": form, "title": title, "upload": True})


@role_required(*OVERSIGHT_ROLES)
def regulation_create(request):
    return _regulation_save(
        request,
        instance=None,
        saved_message=_("Regulation published; staff have been asked to acknowledge it."),
        title=_("New regulation"),
    )


@role_required(*OVERSIGHT_ROLES)
def regulation_edit(request, pk):
    regulation = get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk)
    return _regulation_save(
        request, instance=regulation, saved_message=_("Regulation saved."), title=_("Edit regulation")
    )


@role_required(*OVERSIGHT_ROLES)
@require_POST
def regulation_revise(request, pk):
    regulation = get_object_or_404(selectors.regulations_visible_to(request.user), pk=pk)
    form = RegulationReviseForm(request.POST, request.FILES)
    revised = submit_form(
        request,
        form,
        lambda data: services.regulation_revise(
            regulation=regulation,
            version=data["version"],
            effective_on=data["effective_on"],
            document=data["document"],
        ),
        errors_as_messages=True,
    )
    if revised:
        messages.success(request, _("New version published; staff must acknowledge it again."))
    return redirect("compliance-regulation", pk=regulation.pk)


def acknowledgement_list(request):
    mine = selectors.acknowledgements_visible_to(request.user).filter(staff=request.user)
    return render(
        request,
        "compliance/acknowledgement_list.html",
        {
            "outstanding": selectors.outstanding_acknowledgements(staff=request.user),
            "done": mine.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[:50],
        },
    )


@require_POST
def acknowledgement_confirm(request, pk):
    ack = get_object_or_404(
        selectors.acknowledgements_visible_to(request.user).filter(staff=request.user), pk=pk
    )
    services.acknowledgement_confirm(acknowledgement=ack, staff=request.user)
    messages.success(
        request, _("Thank you: you confirmed you studied “%(title)s”.") % {"title": ack.regulation.title}
    )
    # Back to the page the button was on, never to another site (open redirect).
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "compliance-acknowledgements"
    return redirect(target)
