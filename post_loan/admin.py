from django.contrib import admin

from post_loan.models import ActionEvidence, ActionTemplate, RequiredAction, ResponsibilityChange


@admin.register(ActionTemplate)
class ActionTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "trigger", "offset_days", "interval_months", "borrower_type", "is_active"]
    list_filter = ["trigger", "borrower_type", "is_active"]
    search_fields = ["code", "name", "source"]


class EvidenceInline(admin.TabularInline):
    model = ActionEvidence
    extra = 0
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]


class ResponsibilityChangeInline(admin.TabularInline):
    model = ResponsibilityChange
    extra = 0
    readonly_fields = ["from_user", "to_user", "changed_by", "reason", "changed_at"]


@admin.register(RequiredAction)
class RequiredActionAdmin(admin.ModelAdmin):
    list_display = ["template", "loan", "subject", "responsible", "due_on", "status", "review_status"]
    list_filter = ["status", "review_status", "template", "branch"]
    search_fields = ["loan__loan_no", "subject", "responsible__username"]
    raw_id_fields = ["loan", "responsible", "completed_by", "waived_by", "reviewed_by"]
    date_hierarchy = "due_on"
    inlines = [EvidenceInline, ResponsibilityChangeInline]
