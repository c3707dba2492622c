"""GET /api/v1/gift-declarations/?staff=&pending=1&offered_from= — the gifts-and-hospitality
register, scoped like the pages (an officer: their own; the head and compliance: the branch)."""

import datetime as dt

from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from compliance.models import GiftDeclaration
from compliance.selectors import gifts_visible_to
from core.text import optional_int


class GiftDeclarationSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.profile.full_name", default=None)
    borrower_name = serializers.CharField(source="borrower.name", default=None)

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


class GiftDeclarationList(generics.ListAPIView):
    serializer_class = GiftDeclarationSerializer

    def get_queryset(self):
        gifts = gifts_visible_to(self.request.user).order_by("-offered_on", "-id")
        params = self.request.query_params
        if staff := params.get("staff"):
            if (staff_id := optional_int(staff)) is None:
                raise ValidationError({"staff": "staff is a user id"})
            gifts = gifts.filter(staff_id=staff_id)
        if params.get("pending") == "1":
            gifts = gifts.filter(reviewed_at__isnull=True)
        if offered_from := params.get("offered_from"):
            try:
                day = dt.date.fromisoformat(offered_from)
            except ValueError as exc:
                raise ValidationError({"offered_from": "a date like 2026-11-30"}) from exc
            gifts = gifts.filter(offered_on__gte=day)
        return gifts
