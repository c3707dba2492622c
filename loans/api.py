"""REST API for the core banking system and staff tools (DRF, token auth, /api/v1/).

Scoped exactly like the pages (loans.selectors.loans_visible_to): another officer's loan
answers 404. ID numbers and phones are masked unless an allowed user asks ``?reveal=1``,
each full value logged per row (loans.services.personal_data_show, docs/personal-data.md)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from loans.domain import RiskClass
from loans.models import Loan, PersonalField, Product, Repayment, RepaymentSource, RevealChannel, ScheduleLine
from loans.quotes import loan_quote
from loans.selectors import (
    loan_detail,
    loans_filtered,
    loans_visible_to,
)
from loans.services import personal_data_show, repayment_record


class ScheduleLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleLine
        fields = [
            "seq",
            "due_on",
            "principal_due",
            "interest_due",
            "principal_paid",
            "interest_paid",
            "paid_on",
        ]


class RepaymentSerializer(serializers.ModelSerializer):
    loan_no = serializers.CharField(source="loan.loan_no", read_only=True)

    class Meta:
        model = Repayment
        fields = ["id", "loan_no", "paid_on", "principal", "interest", "source", "reference", "created_at"]


class LoanSerializer(serializers.ModelSerializer):
    borrower_name = serializers.CharField(source="borrower.name")
    borrower_id_number = serializers.SerializerMethodField()
    borrower_phone = serializers.SerializerMethodField()
    officer = serializers.CharField(source="officer.username")
    risk_class = serializers.IntegerField()
    risk_class_label = serializers.CharField(source="get_risk_class_display")

    class Meta:
        model = Loan
        fields = [
            "loan_no",
            "contract_no",
            "borrower_name",
            "borrower_id_number",
            "borrower_phone",
            "officer",
            "product",
            "guarantee",
            "disbursed_on",
            "matures_on",
            "principal",
            "balance",
            "annual_rate",
            "repayment_method",
            "repayment_day",
            "overdue_principal",
            "overdue_interest",
            "days_past_due",
            "bucket",
            "risk_class",
            "risk_class_label",
            "status",
        ]

    def _personal(self, loan, field):
        # Masked unless ?reveal=1 by someone allowed; each full value is logged (one rule).
        return personal_data_show(
            user=self.context["request"].user,
            value=getattr(loan.borrower, field),
            field=field,
            where=RevealChannel.API,
            borrower_id=loan.borrower_id,
            officer_id=loan.officer_id,
            loan_id=loan.pk,
            reveal=self.context.get("reveal", False),
        )

    def get_borrower_id_number(self, loan) -> str:
        return self._personal(loan, PersonalField.ID_NUMBER)

    def get_borrower_phone(self, loan) -> str:
        return self._personal(loan, PersonalField.PHONE)


class LoanDetailSerializer(LoanSerializer):
    schedule = ScheduleLineSerializer(many=True)
    repayments = RepaymentSerializer(many=True)

    class Meta(LoanSerializer.Meta):
        fields = LoanSerializer.Meta.fields + ["schedule", "repayments"]


class RepaymentInputSerializer(serializers.Serializer):
    loan_no = serializers.CharField(max_length=40)
    paid_on = serializers.DateField()
    principal = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    interest = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    reference = serializers.CharField(max_length=64)


def _wants_reveal(request) -> bool:
    return request.query_params.get("reveal") == "1"


REVEAL_PARAM = OpenApiParameter(
    "reveal", OpenApiTypes.INT, description="1: full ID numbers and phones, for allowed users (logged)"
)


class LoanListView(generics.ListAPIView):
    serializer_class = LoanSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("officer", OpenApiTypes.INT, description="officer user id"),
            OpenApiParameter("product", OpenApiTypes.STR, enum=Product.values),
            OpenApiParameter("class", OpenApiTypes.INT, enum=RiskClass.values),
            OpenApiParameter("min_days_past_due", OpenApiTypes.INT),
            REVEAL_PARAM,
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _int_param(self, name):
        value = self.request.query_params.get(name)
        if value in (None, ""):
            return None
        try:
            return int(value)
        except ValueError:
            raise serializers.ValidationError({name: "A whole number is expected."}) from None

    def get_queryset(self):
        return loans_filtered(
            self.request.user,
            officer_id=self._int_param("officer"),
            product=self.request.query_params.get("product", ""),
            risk_class=self._int_param("class"),
            min_days_past_due=self._int_param("min_days_past_due"),
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        return context | {"reveal": _wants_reveal(self.request)}


class LoanDetailView(APIView):
    @extend_schema(parameters=[REVEAL_PARAM], responses=LoanDetailSerializer)
    def get(self, request, loan_no):
        loan = loan_detail(request.user, loan_no=loan_no)
        reveal = _wants_reveal(request)
        return Response(LoanDetailSerializer(loan, context={"request": request, "reveal": reveal}).data)


class RepaymentCreateView(APIView):
    """Record a repayment; the same reference twice records one payment (200 the second
    time, with the existing payment)."""

    @extend_schema(
        request=RepaymentInputSerializer, responses={201: RepaymentSerializer, 200: RepaymentSerializer}
    )
    def post(self, request):
        data = RepaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        loan = get_object_or_404(loans_visible_to(request.user), loan_no=values.pop("loan_no"))
        try:
            repayment, created = repayment_record(
                loan=loan, source=RepaymentSource.API, recorded_by=request.user, **values
            )
        except DjangoValidationError as error:
            detail = (
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            )
            raise serializers.ValidationError(detail) from None
        return Response(
            RepaymentSerializer(repayment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


MONEY_FIELD = {"max_digits": 16, "decimal_places": 2}


class QuoteSerializer(serializers.Serializer):
    """An estimate (估算，以核心系统为准): core banking confirms the figures (loans.quotes)."""

    loan_no = serializers.SerializerMethodField()
    date = serializers.DateField(source="on")
    annual_rate = serializers.DecimalField(max_digits=9, decimal_places=4)
    penalty_rate = serializers.DecimalField(max_digits=9, decimal_places=4)
    balance = serializers.DecimalField(**MONEY_FIELD)
    overdue_principal = serializers.DecimalField(**MONEY_FIELD)
    overdue_interest = serializers.DecimalField(**MONEY_FIELD)
    days_past_due = serializers.IntegerField()
    penalty_interest = serializers.DecimalField(**MONEY_FIELD, help_text="罚息")
    compound_interest = serializers.DecimalField(**MONEY_FIELD, help_text="复利")
    accrued_from = serializers.DateField()
    accrued_interest = serializers.DecimalField(**MONEY_FIELD)
    to_clear = serializers.DecimalField(**MONEY_FIELD, help_text="what clears the arrears on the date")
    to_settle = serializers.DecimalField(**MONEY_FIELD, help_text="what settles the loan on the date")
    is_estimate = serializers.SerializerMethodField()

    def get_loan_no(self, quote) -> str:
        return self.context["loan_no"]

    def get_is_estimate(self, quote) -> bool:
        return True


class QuoteQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False)


class LoanQuoteView(APIView):
    """Arrears quote (欠款试算) of one loan on a date (default today): an estimate."""

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="YYYY-MM-DD; default today")],
        responses=QuoteSerializer,
    )
    def get(self, request, loan_no):
        query = QuoteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        loan = get_object_or_404(loans_visible_to(request.user).prefetch_related("schedule"), loan_no=loan_no)
        quote = loan_quote(loan=loan, on=query.validated_data.get("date") or timezone.localdate())
        return Response(QuoteSerializer(quote, context={"loan_no": loan.loan_no}).data)
