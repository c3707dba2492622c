"""API: the timing verdict for a moment, and logging a contact (same rules as the form)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from accounts.access import profile_of
from loan_collections import selectors, services
from loan_collections.contact_policy import SHANGHAI
from loan_collections.forms import ContactForm


class ContactWindowSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    next_allowed = serializers.DateTimeField()


class ContactAttemptSerializer(serializers.Serializer):
    """What the POST answers; the request takes the contact form's fields plus ``case``."""

    id = serializers.IntegerField()
    case = serializers.IntegerField()
    contacted_at = serializers.DateTimeField()
    channel = serializers.CharField()
    party = serializers.CharField()
    outcome = serializers.CharField()


@extend_schema(
    parameters=[
        OpenApiParameter("at", OpenApiTypes.DATETIME, description="ISO date-time; default now"),
        OpenApiParameter("case", OpenApiTypes.INT, required=False),
        OpenApiParameter("channel", OpenApiTypes.STR, required=False),
    ],
    responses=ContactWindowSerializer,
)
@api_view(["GET"])
def contact_window(request):
    """GET /api/v1/contact-window/?at=ISO-DATETIME[&case=ID&channel=phone] →
    {"allowed", "reason", "next_allowed"} under the rules of the user's branch (the case's
    branch, with the weekly cap, when a case is given)."""
    raw = request.query_params.get("at")
    try:
        at = dt.datetime.fromisoformat(raw) if raw else timezone.now()
    except ValueError:
        return Response({"at": [_("Give the time as an ISO date-time, e.g. 2026-11-20T10:30.")]}, status=400)
    if at.tzinfo is None:
        at = at.replace(tzinfo=SHANGHAI)
    profile = profile_of(request.user)
    branch_id, borrower_id = (profile.branch_id if profile else None), None
    if request.query_params.get("case"):
        try:
            case_id = int(request.query_params["case"])
        except ValueError:
            return Response({"case": [_("Unknown case.")]}, status=400)
        case = get_object_or_404(selectors.cases_visible_to(request.user), pk=case_id)
        branch_id, borrower_id = case.branch_id, case.borrower_id
    verdict = selectors.contact_check(
        branch_id=branch_id,
        at=at,
        borrower_id=borrower_id,
        channel=request.query_params.get("channel") or None,
    )
    return Response(
        {
            "allowed": verdict.allowed,
            "reason": verdict.reason,
            "next_allowed": verdict.next_allowed.isoformat(),
        }
    )


@extend_schema(request=OpenApiTypes.OBJECT, responses={201: ContactAttemptSerializer})
@api_view(["POST"])
def contact_attempts(request):
    """POST /api/v1/contact-attempts/: log a contact, validated exactly like the form."""
    case_id = request.data.get("case")
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        return Response({"case": [_("Give the case id.")]}, status=status.HTTP_400_BAD_REQUEST)
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=case_id)
    form = ContactForm(data=request.data)
    if not form.is_valid():
        return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
    try:
        contact = services.contact_log(case=case, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        body = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    data = {
        "id": contact.pk,
        "case": case.pk,
        "contacted_at": contact.contacted_at.isoformat(),
        "channel": contact.channel,
        "party": contact.party,
        "outcome": contact.outcome,
    }
    return Response(data, status=status.HTTP_201_CREATED)
