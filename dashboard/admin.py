from django.contrib import admin

from dashboard.models import MonthlyReport, PortfolioSnapshot


@admin.register(PortfolioSnapshot)
class PortfolioSnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "as_of",
        "branch",
        "officer",
        "balance",
        "npl_balance",
        "overdue_balance",
        "loan_count",
        "source",
    ]
    list_filter = ["source", "branch"]
    date_hierarchy = "as_of"
    raw_id_fields = ["officer"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["month", "branch", "as_of", "generated_at"]
    list_filter = ["branch"]
