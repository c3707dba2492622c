"""REST API for the core banking system and staff tools (DRF, token auth, /api/v1/).

Scoped exactly like the pages (loans.selectors.loans_visible_to): another officer's loan
answers 404. ID numbers and phones are masked unless an allowed user asks ``?reveal=1``,
each full value logged per row (loans.services.personal_data_show, docs/personal-data.md)."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import StrictPageNumberPagination, conflict_from, error_responses, query_params
from loans.domain import RiskClass
from loans.models import (
    MONEY,
    Collateral,
    Guarantor,
    Loan,
    PersonalField,
    Product,
    Repayment,
    RepaymentSource,
    RevealChannel,
    ScheduleLine,
)
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
    class_floor = serializers.IntegerField(help_text="the best class a restructuring allows (1: none)")

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
            "restructured",
            "class_floor",
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


class CollateralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Collateral
        fields = ["kind", "description", "appraised_value", "appraised_on", "insurance_expires_on"]


class GuarantorSerializer(serializers.ModelSerializer):
    """No ID number or phone: a guarantor's personal data is not served here."""

    class Meta:
        model = Guarantor
        fields = ["guarantor_type", "name", "relation", "guarantee_ends_on"]


class LoanDetailSerializer(LoanSerializer):
    schedule = ScheduleLineSerializer(many=True)
    repayments = RepaymentSerializer(many=True)
    # The coming-due dates (到期预警): licence, collateral revaluation and insurance, guarantees.
    borrower_licence_expires_on = serializers.DateField(source="borrower.licence_expires_on", allow_null=True)
    collateral = CollateralSerializer(many=True)
    guarantors = GuarantorSerializer(many=True)

    class Meta(LoanSerializer.Meta):
        fields = LoanSerializer.Meta.fields + [
            "schedule",
            "repayments",
            "borrower_licence_expires_on",
            "collateral",
            "guarantors",
        ]


# Database ids are PostgreSQL integers; a larger number can name nothing.
MAX_ID = 2**31 - 1
# Text that names something: no NUL (PostgreSQL cannot store it) and not only blanks.
NAME_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"
YUAN_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,2})?$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": YUAN_PATTERN, "example": "1000.00"})
class YuanField(serializers.DecimalField):
    """An amount in yuan: a decimal string with at most two places (fen), never negative."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=16, decimal_places=2, min_value=Decimal(0), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(YUAN_PATTERN, data):
            self.fail("invalid")
        return super().to_internal_value(data)


class RepaymentInputSerializer(serializers.Serializer):
    loan_no = serializers.RegexField(NAME_PATTERN, max_length=40, trim_whitespace=False)
    paid_on = serializers.DateField()
    principal = YuanField()
    interest = YuanField()
    reference = serializers.RegexField(
        NAME_PATTERN, max_length=64, trim_whitespace=False, help_text="the core system's transaction number"
    )


class RevealQuery(serializers.Serializer):
    reveal = serializers.ChoiceField(
        choices=[0, 1],
        required=False,
        help_text="1: full ID numbers and phones, for allowed users (logged)",
    )


class LoanListQuery(RevealQuery):
    officer = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="officer user id"
    )
    product = serializers.ChoiceField(choices=Product.choices, required=False)
    risk_class = serializers.ChoiceField(
        choices=RiskClass.choices, required=False, help_text="five-tier class"
    )
    min_days_past_due = serializers.IntegerField(required=False, min_value=0, max_value=MAX_ID)

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("risk_class")  # the parameter's name is a Python keyword
        return fields


class LoanListView(generics.ListAPIView):
    serializer_class = LoanSerializer
    pagination_class = StrictPageNumberPagination

    @extend_schema(
        parameters=[LoanListQuery], responses={200: LoanSerializer(many=True)} | error_responses(404)
    )
    def get(self, request, *args, **kwargs):
        self.query = query_params(LoanListQuery, request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return loans_filtered(
            self.request.user,
            officer_id=self.query.get("officer"),
            product=self.query.get("product", ""),
            risk_class=self.query.get("class"),
            min_days_past_due=self.query.get("min_days_past_due"),
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        return context | {"reveal": self.query.get("reveal") == 1}


class LoanDetailView(APIView):
    @extend_schema(
        parameters=[RevealQuery, OpenApiParameter("loan_no", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: LoanDetailSerializer} | error_responses(404),
    )
    def get(self, request, loan_no):
        query = query_params(RevealQuery, request)
        if "\x00" in loan_no:  # no loan number holds a NUL, and PostgreSQL cannot compare one
            raise Http404
        loan = loan_detail(request.user, loan_no=loan_no)
        reveal = query.get("reveal") == 1
        return Response(LoanDetailSerializer(loan, context={"request": request, "reveal": reveal}).data)


def _recorded(repayment: Repayment) -> dict:
    return {
        "loan_no": repayment.loan.loan_no,
        "paid_on": repayment.paid_on.isoformat(),
        "principal": f"{repayment.principal:.2f}",
        "interest": f"{repayment.interest:.2f}",
    }


def _same_payment(repayment: Repayment, values: dict) -> bool:
    return (repayment.paid_on, repayment.principal, repayment.interest) == (
        values["paid_on"],
        values["principal"],
        values["interest"],
    )


class RepaymentCreateView(APIView):
    """Record a repayment. The reference makes it idempotent: the same reference with the
    same values answers 200 with the payment already recorded; with other values, 409 naming
    the recorded ones (a retry must not hide a different payment)."""

    @extend_schema(
        request=RepaymentInputSerializer,
        responses={
            201: RepaymentSerializer,
            200: OpenApiResponse(RepaymentSerializer, description="Already recorded with this reference."),
        }
        | error_responses(404, 409),
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
            return Response(conflict_from(error), status=status.HTTP_409_CONFLICT)
        if not created and not _same_payment(repayment, values):
            body = {
                "detail": _("This reference is already recorded with other values."),
                "recorded": _recorded(repayment),
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(
            RepaymentSerializer(repayment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class QuoteSerializer(serializers.Serializer):
    """An estimate (估算，以核心系统为准): core banking confirms the figures (loans.quotes)."""

    loan_no = serializers.SerializerMethodField()
    date = serializers.DateField(source="on")
    annual_rate = serializers.DecimalField(max_digits=9, decimal_places=4)
    penalty_rate = serializers.DecimalField(max_digits=9, decimal_places=4)
    balance = serializers.DecimalField(**MONEY)
    overdue_principal = serializers.DecimalField(**MONEY)
    overdue_interest = serializers.DecimalField(**MONEY)
    days_past_due = serializers.IntegerField()
    penalty_interest = serializers.DecimalField(**MONEY, help_text="罚息")
    compound_interest = serializers.DecimalField(**MONEY, help_text="复利")
    accrued_from = serializers.DateField()
    accrued_interest = serializers.DecimalField(**MONEY)
    to_clear = serializers.DecimalField(**MONEY, help_text="what clears the arrears on the date")
    to_settle = serializers.DecimalField(**MONEY, help_text="what settles the loan on the date")
    is_estimate = serializers.SerializerMethodField()

    def get_loan_no(self, quote) -> str:
        return self.context["loan_no"]

    def get_is_estimate(self, quote) -> bool:
        return True


class QuoteQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="YYYY-MM-DD; default today")


class LoanQuoteView(APIView):
    """Arrears quote (欠款试算) of one loan on a date (default today): an estimate."""

    @extend_schema(
        parameters=[
            QuoteQuerySerializer,
            OpenApiParameter("loan_no", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        responses={200: QuoteSerializer} | error_responses(404),
    )
    def get(self, request, loan_no):
        query = query_params(QuoteQuerySerializer, request)
        if "\x00" in loan_no:  # no loan number holds a NUL, and PostgreSQL cannot compare one
            raise Http404
        loan = get_object_or_404(loans_visible_to(request.user).prefetch_related("schedule"), loan_no=loan_no)
        quote = loan_quote(loan=loan, on=query.get("date") or timezone.localdate())
        return Response(QuoteSerializer(quote, context={"loan_no": loan.loan_no}).data)
