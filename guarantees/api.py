"""GET /api/v1/guarantee-circles/ — the circles of the branches the caller may see."""

from rest_framework.response import Response
from rest_framework.views import APIView

from guarantees.selectors import circles_for


class GuaranteeCircleList(APIView):
    def get(self, request):
        return Response(
            [
                {
                    "mutual": circle.mutual,
                    "balance": str(circle.balance),
                    "overdue": bool(circle.overdue_parties),
                    "members": [
                        {
                            "name": party.name,
                            "borrower_id": party.borrower_id,
                            "own_balance": str(party.own_balance),
                            "guaranteed_balance": str(party.guaranteed_balance),
                            "days_past_due": party.max_days_past_due,
                        }
                        for party in circle.parties
                    ],
                }
                for circle in circles_for(request.user)
            ]
        )
