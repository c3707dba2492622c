"""Collections on the dashboard and in the monthly report: open cases by stage, the
promise-kept rate, recovery this month against the yearly target. Constant queries."""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.formatting import to_wan
from core.registry import DashboardScope, DashboardSection, ReportTable
from loan_collections.models import (
    OPEN_STAGES,
    CollectionCase,
    CollectionPlan,
    PromiseStatus,
    PromiseToPay,
    Stage,
)
from loans.models import Repayment


def _filter(queryset, scope: DashboardScope, *, branch="branch", officer="officer"):
    queryset = queryset.filter(**{f"{branch}__in": scope.branch_ids})
    if scope.officer_id is not None:
        queryset = queryset.filter(**{officer: scope.officer_id})
    return queryset


def _figures(scope: DashboardScope) -> dict:
    stages = dict(
        _filter(CollectionCase.objects.filter(stage__in=OPEN_STAGES), scope)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    promises = _filter(
        PromiseToPay.objects.exclude(status=PromiseStatus.PENDING).filter(due_on__year=scope.as_of.year),
        scope,
        branch="case__branch",
        officer="case__officer",
    ).aggregate(checked=Count("id"), kept=Count("id", filter=Q(status=PromiseStatus.KEPT)))
    plans = _filter(CollectionPlan.objects.filter(year=scope.as_of.year), scope)
    target = plans.aggregate(total=Sum("target_amount"))["total"] or Decimal("0")
    recovered = Repayment.objects.filter(
        paid_on__year=scope.as_of.year,
        paid_on__month=scope.as_of.month,
        paid_on__lte=scope.as_of,
        loan__borrower__collection_plans__in=plans,
    ).aggregate(total=Sum(F("principal") + F("interest")))["total"] or Decimal("0")
    return {"stages": stages, "promises": promises, "target": target, "recovered": recovered}


def section_context(scope: DashboardScope) -> dict:
    figures = _figures(scope)
    checked, kept = figures["promises"]["checked"], figures["promises"]["kept"]
    return {
        "stages": [
            {"stage": value, "label": label, "count": figures["stages"].get(value, 0)}
            for value, label in Stage.choices
            if value in OPEN_STAGES
        ],
        "checked": checked,
        "kept": kept,
        "kept_rate": round(kept * 100 / checked) if checked else None,
        "recovered_wan": to_wan(figures["recovered"]),
        "target_wan": to_wan(figures["target"]),
        "progress": int(figures["recovered"] * 100 / figures["target"]) if figures["target"] else 0,
    }


def report_tables(scope: DashboardScope) -> list[ReportTable]:
    context = section_context(scope)
    return [
        ReportTable(
            title=str(_("Open collection cases by stage")),
            headers=[str(_("Stage")), str(_("Cases"))],
            rows=[[str(row["label"]), row["count"]] for row in context["stages"]],
        ),
        ReportTable(
            title=str(_("Collection this month")),
            headers=[str(_("Recovered (万元)")), str(_("Yearly target (万元)")), str(_("Promises kept (%)"))],
            rows=[[context["recovered_wan"], context["target_wan"], context["kept_rate"]]],
        ),
    ]


DASHBOARD_SECTIONS = [
    DashboardSection(
        title=_("Collections"),
        template="loan_collections/_dashboard.html",
        context=section_context,
        report_tables=report_tables,
        order=40,
    )
]
