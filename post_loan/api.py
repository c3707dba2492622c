"""GET /api/v1/required-actions/?officer=&status=&due_before= and
GET /api/v1/coming-due/?kind=&horizon= (到期预警) — scoped like the pages."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from core.api import StrictPageNumberPagination, error_responses, query_params
from loans.api import MAX_ID
from post_loan.coming_due import DEFAULT_HORIZON, HORIZONS, KINDS, coming_due_visible_to
from post_loan.models import ActionStatus, RequiredAction
from post_loan.selectors import actions_visible_to


class RequiredActionSerializer(serializers.ModelSerializer):
    template_code = serializers.CharField(source="template.code")
    template_name = serializers.CharField(source="template.name")
    loan_no = serializers.CharField(source="loan.loan_no", default=None, allow_null=True)
    responsible = serializers.IntegerField(source="responsible_id")
    responsible_name = serializers.SerializerMethodField()

    class Meta:
        model = RequiredAction
        fields = [
            "id",
            "template_code",
            "template_name",
            "loan_no",
            "subject",
            "responsible",
            "responsible_name",
            "due_on",
            "redo_by",
            "status",
            "review_status",
            "completed_on",
            "completed_on_time",
        ]

    def get_responsible_name(self, action) -> str:
        profile = getattr(action.responsible, "profile", None)
        return profile.full_name if profile else action.responsible.get_username()


class RequiredActionQuery(serializers.Serializer):
    officer = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="the responsible officer's user id"
    )
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    due_before = serializers.DateField(required=False, help_text="due strictly before this day")


class RequiredActionList(generics.ListAPIView):
    serializer_class = RequiredActionSerializer
    pagination_class = StrictPageNumberPagination

    @extend_schema(
        parameters=[RequiredActionQuery],
        responses={200: RequiredActionSerializer(many=True)} | error_responses(404),
    )
    def get(self, request, *args, **kwargs):
        self.query = query_params(RequiredActionQuery, request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        actions = actions_visible_to(self.request.user).order_by("due_on", "id")
        if "officer" in self.query:
            actions = actions.filter(responsible_id=self.query["officer"])
        if "status" in self.query:
            actions = actions.filter(status=self.query["status"])
        if "due_before" in self.query:
            actions = actions.filter(due_on__lt=self.query["due_before"])
        return actions


class ComingDueItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    kind_label = serializers.CharField()
    day = serializers.DateField(help_text="the day that falls due (maturity, revaluation, expiry, end)")
    days_left = serializers.IntegerField(help_text="negative: overdue or expired already")
    loan_no = serializers.CharField()
    borrower_name = serializers.CharField()
    officer = serializers.IntegerField(source="officer_id", help_text="the responsible officer's user id")
    matures_on = serializers.DateField()
    what = serializers.CharField(help_text="the collateral or the guarantor concerned, if any")


class ComingDueQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS, required=False)
    horizon = serializers.ChoiceField(
        choices=HORIZONS, required=False, help_text=f"days ahead; default {DEFAULT_HORIZON}"
    )


class ComingDueList(generics.ListAPIView):
    """What falls due within 30/60/90 days on the loans the user sees, the earliest first."""

    serializer_class = ComingDueItemSerializer
    pagination_class = StrictPageNumberPagination

    @extend_schema(
        parameters=[ComingDueQuery],
        responses={200: ComingDueItemSerializer(many=True)} | error_responses(404),
    )
    def get(self, request, *args, **kwargs):
        self.query = query_params(ComingDueQuery, request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return coming_due_visible_to(
            self.request.user,
            as_of=timezone.localdate(),
            horizon=self.query.get("horizon", DEFAULT_HORIZON),
            kind=self.query.get("kind"),
        )
