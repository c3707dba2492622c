from django.contrib import admin

from loans.models import (
    Borrower,
    ClassificationChange,
    Collateral,
    Guarantor,
    IndustryPolicy,
    Loan,
    PersonalDataReveal,
    Repayment,
    ScheduleLine,
)


@admin.register(Borrower)
class BorrowerAdmin(admin.ModelAdmin):
    list_display = ["name", "borrower_type", "branch", "officer", "is_vip"]
    list_filter = ["borrower_type", "branch", "is_vip"]
    search_fields = ["name", "id_number"]
    raw_id_fields = ["officer"]


class CollateralInline(admin.TabularInline):
    model = Collateral
    extra = 0


class GuarantorInline(admin.TabularInline):
    model = Guarantor
    extra = 0


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["loan_no", "borrower", "product", "balance", "days_past_due", "risk_class", "status"]
    list_filter = ["product", "risk_class", "bucket", "status", "branch"]
    search_fields = ["loan_no", "contract_no", "borrower__name"]
    raw_id_fields = ["borrower", "officer"]
    inlines = [CollateralInline, GuarantorInline]


@admin.register(ScheduleLine)
class ScheduleLineAdmin(admin.ModelAdmin):
    list_display = ["loan", "seq", "due_on", "principal_due", "interest_due", "paid_on"]
    raw_id_fields = ["loan"]


@admin.register(Repayment)
class RepaymentAdmin(admin.ModelAdmin):
    list_display = ["loan", "paid_on", "principal", "interest", "source", "reference"]
    list_filter = ["source"]
    search_fields = ["reference", "loan__loan_no"]
    raw_id_fields = ["loan", "recorded_by"]


@admin.register(ClassificationChange)
class ClassificationChangeAdmin(admin.ModelAdmin):
    list_display = [
        "loan",
        "from_class",
        "to_class",
        "kind",
        "status",
        "proposed_by",
        "decided_by",
        "proposed_at",
    ]
    list_filter = ["kind", "status"]
    raw_id_fields = ["loan", "proposed_by", "decided_by"]


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(admin.ModelAdmin):
    list_display = ["revealed_at", "user", "borrower", "channel", "detail"]
    list_filter = ["channel"]
    raw_id_fields = ["user", "borrower", "loan"]

    def has_change_permission(self, request, obj=None):
        return False  # a privacy log is read-only


@admin.register(IndustryPolicy)
class IndustryPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "source"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
