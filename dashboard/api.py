"""GET /api/v1/dashboard/summary/?as_of=YYYY-MM-DD&branch=CODE — the headline as JSON,
amounts as decimal strings in yuan."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Branch
from core.api import error_responses, query_params
from core.db_routers import reads_from_replica
from dashboard.selectors import as_of_parse, dashboard_scope, summary
from dashboard.serializers import SummarySerializer
from loans.api import NAME_PATTERN


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _only_branch_code(branch_ids) -> str | None:
    """The code of the one branch in view (an officer's, a county head's); None for several."""
    if len(branch_ids) != 1:
        return None
    return Branch.objects.filter(id__in=branch_ids).values_list("code", flat=True).first()


class SummaryQuery(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="default today")
    branch = serializers.RegexField(
        NAME_PATTERN, required=False, max_length=20, help_text="branch code, default every branch you see"
    )


class SummaryView(APIView):
    @extend_schema(
        parameters=[SummaryQuery],
        # 404: no figures (a day in the future or before the records) or a branch not yours.
        responses={200: SummarySerializer} | error_responses(404),
    )
    @reads_from_replica()
    def get(self, request):
        query = query_params(SummaryQuery, request)
        try:
            as_of = as_of_parse(query["as_of"].isoformat() if "as_of" in query else None)
        except ValidationError as error:  # a day in the future has no figures yet
            return Response({"detail": error.messages[0]}, status=404)
        branch_code = query.get("branch") or None
        scope = dashboard_scope(request.user, as_of=as_of, branch_code=branch_code)
        try:
            figures = summary(scope)
        except ValidationError as error:
            return Response({"detail": error.messages[0]}, status=404)
        return Response(
            {
                "as_of": as_of.isoformat(),
                "branch": branch_code or _only_branch_code(scope.branch_ids),
                "balance": _money(figures["balance"]),
                "balance_at_year_start": _money(figures["balance_at_year_start"]),
                "change_since_year_start": _money(figures["change_since_year_start"]),
                "npl_balance": _money(figures["npl_balance"]),
                "npl_ratio": f"{figures['npl_ratio']:.4f}",
                "zero_npl_years": figures["zero_npl_years"],
                "overdue_balance": _money(figures["overdue_balance"]),
                "by_class": {key: _money(value) for key, value in figures["by_class"].items()},
                "by_bucket": {key: _money(value) for key, value in figures["by_bucket"].items()},
            }
        )
