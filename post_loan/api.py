"""GET /api/v1/required-actions/?officer=&status=&due_before= — scoped like the pages."""

import datetime as dt

from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from core.text import optional_int
from post_loan.models import ActionStatus, RequiredAction
from post_loan.selectors import actions_visible_to


class RequiredActionSerializer(serializers.ModelSerializer):
    template_code = serializers.CharField(source="template.code")
    template_name = serializers.CharField(source="template.name")
    loan_no = serializers.CharField(source="loan.loan_no", default=None)
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


class RequiredActionList(generics.ListAPIView):
    serializer_class = RequiredActionSerializer

    def get_queryset(self):
        actions = actions_visible_to(self.request.user).order_by("due_on", "id")
        params = self.request.query_params
        if officer := params.get("officer"):
            if (officer_id := optional_int(officer)) is None:
                raise ValidationError({"officer": "officer is a user id"})
            actions = actions.filter(responsible_id=officer_id)
        if status := params.get("status"):
            if status not in ActionStatus.values:
                raise ValidationError({"status": f"one of {', '.join(ActionStatus.values)}"})
            actions = actions.filter(status=status)
        if due_before := params.get("due_before"):
            try:
                day = dt.date.fromisoformat(due_before)
            except ValueError as exc:
                raise ValidationError({"due_before": "a date like 2026-11-30"}) from exc
            actions = actions.filter(due_on__lt=day)
        return actions
