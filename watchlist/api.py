"""GET /api/v1/watchlist/?reason=&officer= — the open watchlist entries, scoped like the
page. ID numbers are always masked here (a list: docs/personal-data.md); the loan endpoint
reveals one loan's on request."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from core.api import StrictPageNumberPagination, error_responses, query_params
from loans.api import MAX_ID
from loans.models import MONEY, PersonalField, RevealChannel
from loans.services import personal_data_show
from watchlist.models import Reason, WatchlistEntry
from watchlist.selectors import entries_visible_to


class WatchlistEntrySerializer(serializers.ModelSerializer):
    loan_no = serializers.CharField(source="loan.loan_no")
    borrower_name = serializers.CharField(source="loan.borrower.name")
    borrower_id_number = serializers.SerializerMethodField(help_text="masked")
    balance = serializers.DecimalField(source="loan.balance", **MONEY)
    risk_class = serializers.IntegerField(source="loan.risk_class", help_text="五级分类 1-5")
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=Reason.choices))
    details = serializers.DictField(child=serializers.CharField(), help_text="rule code -> detail")
    officer = serializers.IntegerField(source="officer_id")
    verification_action = serializers.IntegerField(source="verification_action_id", allow_null=True)
    verification_status = serializers.CharField(
        source="verification_action.status", default=None, allow_null=True
    )

    class Meta:
        model = WatchlistEntry
        fields = [
            "id",
            "loan_no",
            "borrower_name",
            "borrower_id_number",
            "balance",
            "risk_class",
            "reasons",
            "details",
            "officer",
            "first_flagged_on",
            "last_seen_on",
            "verification_action",
            "verification_status",
        ]

    def get_borrower_id_number(self, entry) -> str:
        return personal_data_show(
            user=self.context["request"].user,
            value=entry.loan.borrower.id_number,
            field=PersonalField.ID_NUMBER,
            where=RevealChannel.API,
            borrower_id=entry.loan.borrower_id,
            officer_id=entry.loan.officer_id,
            loan_id=entry.loan_id,
        )


class WatchlistQuery(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Reason.choices, required=False)
    officer = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="the responsible officer's user id"
    )


class WatchlistEntryList(generics.ListAPIView):
    serializer_class = WatchlistEntrySerializer
    pagination_class = StrictPageNumberPagination

    @extend_schema(
        parameters=[WatchlistQuery],
        responses={200: WatchlistEntrySerializer(many=True)} | error_responses(404),
    )
    def get(self, request, *args, **kwargs):
        self.query = query_params(WatchlistQuery, request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        entries = entries_visible_to(self.request.user, reason=self.query.get("reason"))
        if "officer" in self.query:
            entries = entries.filter(officer_id=self.query["officer"])
        return entries
