"""The template context of the dashboard page (dashboard.views.dashboard renders it):
figures in 万元, each with the link to the list behind it, the chart data the static
script draws, and the sections every app contributes (core.registry).

Reads only through dashboard.selectors, as the summary API (dashboard.api) and the
monthly report (dashboard.reports) do; nothing here queries or writes."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import visible_branches
from core.formatting import to_wan as wan
from core.registry import DashboardScope
from dashboard.links import loan_list_url
from dashboard.selectors import (
    BUCKET_LABELS,
    CLASS_LABELS,
    PRODUCT_LABELS,
    ZERO,
    balance_by_month,
    branches_by_id,
    officer_names,
    sections_cached,
    summary,
    top_overdue_borrowers,
)
from loans.models import PersonalField, RevealChannel
from loans.services import personal_data_show

OFFICERS_SHOWN = 30


def _chart_items(amounts: dict, labels: dict, link_key: str, officer_id, branch_code) -> list[dict]:
    return [
        {
            "key": key,
            "name": str(label),
            "value": wan(amounts.get(key, ZERO)),
            "url": loan_list_url(**{link_key: key, "officer": officer_id, "branch": branch_code}),
        }
        for key, label in labels.items()
    ]


def dashboard_context(request, scope: DashboardScope) -> dict:
    figures = summary(scope)
    portfolio = figures["portfolio"]
    total = portfolio.total
    officer = scope.officer_id
    ranked = sorted(portfolio.by_officer.items(), key=lambda item: -item[1].balance)
    listed = ranked if len(scope.branch_ids) == 1 else ranked[:OFFICERS_SHOWN]
    names = officer_names(officer_id for officer_id, _f in listed)
    # The selector lists every visible branch; the scope's are among them (one query, not two).
    selectable = list(visible_branches(request.user).order_by("code")) if officer is None else []
    if selectable and scope.branch_ids <= {branch.pk for branch in selectable}:
        branches = {branch.pk: branch for branch in selectable if branch.pk in scope.branch_ids}
    else:
        branches = branches_by_id(scope.branch_ids)
    # A drill-down from one branch's figures lists that branch's loans only.
    only = branches.get(next(iter(scope.branch_ids))) if len(scope.branch_ids) == 1 else None
    branch_code = only.code if only else None
    headline = {
        "balance": wan(total.balance),
        "balance_url": loan_list_url(officer=officer, branch=branch_code),
        "base": wan(figures["balance_at_year_start"]),
        "change": wan(figures["change_since_year_start"]),
        "npl": wan(total.npl_balance),
        "npl_url": loan_list_url(group="npl", officer=officer, branch=branch_code),
        "npl_ratio": f"{total.npl_ratio * 100:.2f}",
        "zero_npl_years": figures["zero_npl_years"],
        "overdue": wan(total.overdue_balance),
        "overdue_url": loan_list_url(group="overdue", officer=officer, branch=branch_code),
        "loan_count": total.loan_count,
    }
    months = balance_by_month(scope, portfolio)
    by_officer = [
        {
            "name": names.get(officer_id, _("Branch level")),
            "value": wan(f.balance),
            "loans": f.loan_count,
            "npl": wan(f.npl_balance),
            "overdue": wan(f.overdue_balance),
            "url": loan_list_url(officer=officer_id, branch=branch_code) if officer_id else None,
        }
        for officer_id, f in listed
    ]
    charts = {
        "months": [str(m) for m in range(1, 13)],
        "labels": {"this_year": str(scope.as_of.year), "last_year": str(scope.as_of.year - 1)},
        "this_year": [wan(v) for v in months["this_year"]],
        "last_year": [wan(v) for v in months["last_year"]],
        "classes": _chart_items(total.by_class, CLASS_LABELS, "risk_class", officer, branch_code),
        "buckets": _chart_items(total.by_bucket, BUCKET_LABELS, "bucket", officer, branch_code),
        "products": _chart_items(total.by_product, PRODUCT_LABELS, "product", officer, branch_code),
        "officers": by_officer[:OFFICERS_SHOWN],
    }
    overdue = []
    if portfolio.live:
        for item in top_overdue_borrowers(scope):
            overdue.append(
                {
                    "name": item["borrower__name"],
                    # A dashboard is a list: masked for everyone (docs/personal-data.md).
                    "id_number": personal_data_show(
                        user=request.user,
                        value=item["borrower__id_number"],
                        field=PersonalField.ID_NUMBER,
                        where=RevealChannel.PAGE,
                        borrower_id=None,
                        officer_id=item["borrower__officer_id"],
                    ),
                    "overdue": wan(item["overdue"]),
                    "days": item["days"],
                    "loans": item["loans"],
                    "url": loan_list_url(q=item["borrower__name"], officer=officer, branch=branch_code),
                }
            )
    comparison = []
    if len(scope.branch_ids) > 1:
        page = reverse("dashboard")
        for branch_id, f in sorted(portfolio.by_branch.items(), key=lambda item: -item[1].balance):
            base = figures["base_by_branch"].get(branch_id)
            branch = branches.get(branch_id)
            comparison.append(
                {
                    "branch": branch,
                    "balance": wan(f.balance),
                    "change": wan(f.balance - base) if base is not None else None,
                    "npl": wan(f.npl_balance),
                    "npl_ratio": f"{f.npl_ratio * 100:.2f}",
                    "overdue": wan(f.overdue_balance),
                    "url": f"{page}?branch={branch.code}&as_of={scope.as_of}" if branch else None,
                }
            )
    return {
        "scope": scope,
        "as_of": scope.as_of.isoformat(),
        "figures_date": portfolio.figures_date,
        "live": portfolio.live,
        "headline": headline,
        "charts": charts,
        # A city branch has hundreds of officers: the page lists the largest portfolios and
        # the branch selector narrows to one branch's full list.
        "by_officer": by_officer,
        "officers_total": len(ranked),
        "overdue": overdue,
        "comparison": comparison,
        "branches": selectable,
        "branch_code": request.GET.get("branch", ""),
        "scope_branches": list(branches.values()),
        "own_portfolio": officer is not None,
        "sections": sections_cached(scope),
        "sections_ttl": settings.DASHBOARD_SECTIONS_TTL,
    }
