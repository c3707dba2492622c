"""API read of a loan's restructurings (重组 / 展期) for the core banking system: the
adjustments, the terms before and after, the decision and the observation period. Scoped
like the pages (loans.selectors.loans_visible_to): another officer's loan answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses
from loans.models import ObservationRestart, Restructuring, RestructuringKind
from loans.selectors import loans_visible_to, restructurings_of


class ObservationRestartSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObservationRestart
        fields = ["reason", "starts_on", "ends_on"]


class RestructuringSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=RestructuringKind.choices))
    in_observation = serializers.BooleanField()
    # Plain values (the loan serializer names the choices): one enum per choice set in the schema.
    old_risk_class = serializers.IntegerField(help_text="1 正常 … 5 损失")
    class_floor = serializers.IntegerField(allow_null=True, help_text="1 正常 … 5 损失; set on approval")
    old_repayment_method = serializers.CharField()
    new_repayment_method = serializers.CharField()
    restarts = ObservationRestartSerializer(many=True)

    class Meta:
        model = Restructuring
        fields = [
            "id",
            "source",
            "kinds",
            "difficulty",
            "status",
            "old_matures_on",
            "old_annual_rate",
            "old_repayment_method",
            "old_repayment_day",
            "old_balance",
            "old_risk_class",
            "new_matures_on",
            "new_annual_rate",
            "new_repayment_method",
            "new_repayment_day",
            "proposed_at",
            "decided_at",
            "again_in_observation",
            "class_floor",
            "effective_on",
            "observation_starts_on",
            "observation_ends_on",
            "in_observation",
            "left_on",
            "restarts",
        ]


class LoanRestructuringsView(APIView):
    """A loan's restructurings, newest first (2023 classification measures, arts. 17-22)."""

    @extend_schema(
        parameters=[OpenApiParameter("loan_no", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: RestructuringSerializer(many=True)} | error_responses(404),
    )
    def get(self, request, loan_no):
        if "\x00" in loan_no:  # no loan number holds a NUL, and PostgreSQL cannot compare one
            raise Http404
        loan = get_object_or_404(loans_visible_to(request.user), loan_no=loan_no)
        return Response(RestructuringSerializer(restructurings_of(loan), many=True).data)
