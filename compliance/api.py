"""GET /api/v1/gift-declarations/?staff=&pending=1&offered_from= — the gifts-and-hospitality
register, scoped like the pages (an officer: their own; the head and compliance: the branch).
It follows the API's shared rules (core.api): strict parameters and paging, every answer
documented."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from compliance.models import GiftDeclaration
from compliance.selectors import gifts_visible_to
from core.api import StrictPageNumberPagination, error_responses, query_params
from loans.api import MAX_ID


class GiftDeclarationSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.profile.full_name", default=None, allow_null=True)
    borrower_name = serializers.CharField(source="borrower.name", default=None, allow_null=True)

    class Meta:
        model = GiftDeclaration
        fields = [
            "id",
            "staff",
            "staff_name",
            "branch",
            "kind",
            "outcome",
            "value",
            "offered_on",
            "borrower",
            "borrower_name",
            "offered_by_name",
            "description",
            "own_borrower",
            "violation",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]


class GiftDeclarationQuery(serializers.Serializer):
    staff = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="the declaring staff member's user id"
    )
    pending = serializers.ChoiceField(choices=[0, 1], required=False, help_text="1: not yet reviewed only")
    offered_from = serializers.DateField(required=False, help_text="offered on or after this day")


class GiftDeclarationList(generics.ListAPIView):
    serializer_class = GiftDeclarationSerializer
    pagination_class = StrictPageNumberPagination

    @extend_schema(
        parameters=[GiftDeclarationQuery],
        responses={200: GiftDeclarationSerializer(many=True)} | error_responses(404),
    )
    def get(self, request, *args, **kwargs):
        self.query = query_params(GiftDeclarationQuery, request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        gifts = gifts_visible_to(self.request.user).order_by("-offered_on", "-id")
        if "staff" in self.query:
            gifts = gifts.filter(staff_id=self.query["staff"])
        if self.query.get("pending") == 1:
            gifts = gifts.filter(reviewed_at__isnull=True)
        if "offered_from" in self.query:
            gifts = gifts.filter(offered_on__gte=self.query["offered_from"])
        return gifts
