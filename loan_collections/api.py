"""API: the timing verdict for a moment, and logging a contact (same rules and service as
the form). Malformed input answers 400 before any rule is asked; a contact the rules refuse
(a quiet day, the hour, the weekly cap, an override only the branch head may give) is 409."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from accounts.access import profile_of
from core.api import conflict_from, error_responses, query_params
from loan_collections import selectors, services
from loan_collections.contact_policy import FIRST_YEAR, LAST_YEAR, SHANGHAI, supported_check
from loan_collections.models import Channel, Outcome, Party
from loans.api import MAX_ID, YuanField

# The years contact_policy.supported_check accepts, as the schema's pattern (a test keeps
# the two in step).
YEARS_PATTERN = r"^(19(0[1-9]|[1-9][0-9])|20[0-9]{2})-"


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": YEARS_PATTERN,
        "description": f"ISO date-time, years {FIRST_YEAR}-{LAST_YEAR}; without an offset it is Beijing time",
    }
)
class ContactTimeField(serializers.DateTimeField):
    """A date-time the lunar calendar covers, kept in the offset it was given in (so the range
    check sees the year the client wrote); a naive one is Beijing time."""

    def enforce_timezone(self, value):
        supported_check(value)
        return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value


class ContactWindowQuery(serializers.Serializer):
    at = ContactTimeField(required=False, help_text="default now")
    case = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class ContactWindowSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    next_allowed = serializers.DateTimeField()


class CaseRefSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ContactAttemptInputSerializer(CaseRefSerializer):
    """The contact form's fields (loan_collections.forms.ContactForm) plus ``case``."""

    contacted_at = ContactTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    party = serializers.ChoiceField(choices=Party.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    promise_amount = YuanField(required=False)
    promise_date = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    next_step = serializers.CharField(required=False, allow_blank=True, max_length=200)
    next_step_on = serializers.DateField(required=False)
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    late_entry_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="补录: why a contact older than the branch's late-entry window is entered only now",
    )


class ContactAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField()
    contacted_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    party = serializers.ChoiceField(choices=Party.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)


@extend_schema(
    parameters=[ContactWindowQuery], responses={200: ContactWindowSerializer} | error_responses(404)
)
@api_view(["GET"])
def contact_window(request):
    """GET /api/v1/contact-window/?at=ISO-DATETIME[&case=ID&channel=phone] →
    {"allowed", "reason", "next_allowed"} under the rules of the user's branch (the case's
    branch, with the weekly cap, when a case is given)."""
    query = query_params(ContactWindowQuery, request)
    profile = profile_of(request.user)
    branch_id, borrower_id = (profile.branch_id if profile else None), None
    if "case" in query:
        case = get_object_or_404(selectors.cases_visible_to(request.user), pk=query["case"])
        branch_id, borrower_id = case.branch_id, case.borrower_id
    verdict = selectors.contact_check(
        branch_id=branch_id,
        at=query.get("at") or timezone.now(),
        borrower_id=borrower_id,
        channel=query.get("channel"),
    )
    return Response(
        {
            "allowed": verdict.allowed,
            "reason": verdict.reason,
            "next_allowed": verdict.next_allowed.isoformat(),
        }
    )


@extend_schema(
    request=ContactAttemptInputSerializer,
    responses={201: ContactAttemptSerializer} | error_responses(404, 409),
)
@api_view(["POST"])
def contact_attempts(request):
    """POST /api/v1/contact-attempts/: log a contact through the form's service. The case is
    looked up first: someone else's case is 404 whatever else the body holds."""
    ref = CaseRefSerializer(data=request.data)
    ref.is_valid(raise_exception=True)
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=ref.validated_data["case"])
    data = ContactAttemptInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = dict(data.validated_data)
    del values["case"]
    try:
        contact = services.contact_log(case=case, by=request.user, **values)
    except ValidationError as error:
        return Response(conflict_from(error), status=status.HTTP_409_CONFLICT)
    data = {
        "id": contact.pk,
        "case": case.pk,
        "contacted_at": contact.contacted_at.astimezone(SHANGHAI).isoformat(),
        "channel": contact.channel,
        "party": contact.party,
        "outcome": contact.outcome,
    }
    return Response(data, status=status.HTTP_201_CREATED)
