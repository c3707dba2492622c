from django.contrib import admin

from loan_collections.models import (
    CollectionCase,
    CollectionPlan,
    CollectionSettings,
    ContactAttempt,
    FollowUpTask,
    LegalAction,
    OverdueCause,
    PlanMeasure,
    PromiseToPay,
    StageChange,
)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "changed_by", "reason", "changed_at"]


@admin.register(CollectionCase)
class CollectionCaseAdmin(admin.ModelAdmin):
    list_display = [
        "borrower",
        "branch",
        "officer",
        "stage",
        "overdue_amount",
        "days_past_due",
        "next_action_on",
    ]
    list_filter = ["stage", "branch"]
    search_fields = ["borrower__name"]
    raw_id_fields = ["borrower", "officer", "co_owner"]
    inlines = [StageChangeInline]


@admin.register(ContactAttempt)
class ContactAttemptAdmin(admin.ModelAdmin):
    """The contact log is never deleted (also not from the admin)."""

    list_display = ["case", "contacted_at", "channel", "party", "outcome", "officer", "overridden_by"]
    list_filter = ["channel", "outcome"]
    raw_id_fields = ["case", "officer", "overridden_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PromiseToPay)
class PromiseToPayAdmin(admin.ModelAdmin):
    list_display = ["case", "amount", "due_on", "status", "paid_amount"]
    list_filter = ["status"]
    raw_id_fields = ["contact", "case", "officer"]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(CollectionSettings)
admin.site.register(CollectionPlan)
admin.site.register(PlanMeasure)
admin.site.register(FollowUpTask)
admin.site.register(LegalAction)
admin.site.register(OverdueCause)
