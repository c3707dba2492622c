"""GET /api/v1/guarantee-circles/ — the circles of the branches the caller may see."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses
from guarantees.selectors import circles_for
from loans.models import MONEY


class CircleMemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    borrower_id = serializers.IntegerField(allow_null=True)
    own_balance = serializers.DecimalField(**MONEY)
    guaranteed_balance = serializers.DecimalField(**MONEY)
    days_past_due = serializers.IntegerField(allow_null=True)


class CircleSerializer(serializers.Serializer):
    mutual = serializers.BooleanField(help_text="互保: two parties guaranteeing each other")
    balance = serializers.DecimalField(**MONEY)
    overdue = serializers.BooleanField(help_text="a member is overdue (contagion)")
    members = CircleMemberSerializer(many=True)


class GuaranteeCircleList(APIView):
    @extend_schema(responses={200: CircleSerializer(many=True)} | error_responses())
    def get(self, request):
        circles = [
            {
                "mutual": circle.mutual,
                "balance": circle.balance,
                "overdue": bool(circle.overdue_parties),
                "members": [
                    {
                        "name": party.name,
                        "borrower_id": party.borrower_id,
                        "own_balance": party.own_balance,
                        "guaranteed_balance": party.guaranteed_balance,
                        "days_past_due": party.max_days_past_due,
                    }
                    for party in circle.parties
                ],
            }
            for circle in circles_for(request.user)
        ]
        return Response(CircleSerializer(circles, many=True).data)
