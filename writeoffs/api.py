"""GET /api/v1/write-offs/ — write-offs (核销) with their recoveries, scoped like the loans:
what a core-banking client reconciles its off-balance-sheet (表外) ledger against."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from core.api import StrictPageNumberPagination, error_responses, query_params
from loans.models import MONEY
from writeoffs.models import Recovery, WriteOff, WriteOffStatus
from writeoffs.selectors import write_offs_visible_to


class RecoverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Recovery
        fields = ["id", "recovered_on", "amount", "source", "note"]


class WriteOffSerializer(serializers.ModelSerializer):
    loan_no = serializers.CharField(source="loan.loan_no")
    borrower_name = serializers.CharField(source="loan.borrower.name")
    branch = serializers.CharField(source="loan.branch.code")
    recovered = serializers.DecimalField(**MONEY, help_text="recovered after the write-off")
    outstanding = serializers.DecimalField(**MONEY, help_text="written off and not yet recovered")
    recoveries = RecoverySerializer(many=True)

    class Meta:
        model = WriteOff
        fields = [
            "id",
            "loan_no",
            "borrower_name",
            "branch",
            "grounds",
            "status",
            "principal",
            "interest",
            "total",
            "recovered",
            "outstanding",
            "proposed_at",
            "decided_at",
            "written_off_on",
            "recoveries",
        ]


class WriteOffListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=WriteOffStatus.choices, required=False)
    loan_no = serializers.RegexField(r"^[^\x00]{1,40}$", required=False, help_text="one loan number")


class WriteOffListView(generics.ListAPIView):
    serializer_class = WriteOffSerializer
    pagination_class = StrictPageNumberPagination

    @extend_schema(
        parameters=[WriteOffListQuery], responses={200: WriteOffSerializer(many=True)} | error_responses(404)
    )
    def get(self, request, *args, **kwargs):
        self.query = query_params(WriteOffListQuery, request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = write_offs_visible_to(self.request.user).prefetch_related("recoveries")
        if "status" in self.query:
            rows = rows.filter(status=self.query["status"])
        if "loan_no" in self.query:
            rows = rows.filter(loan__loan_no=self.query["loan_no"])
        return rows.order_by("-proposed_at", "-pk")
