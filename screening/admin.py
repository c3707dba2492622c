from django.contrib import admin

from screening.models import DownPaymentReceipt, EarlyWarningSignal, FaceSigning, ProjectFlag


@admin.register(EarlyWarningSignal)
class EarlyWarningSignalAdmin(admin.ModelAdmin):
    list_display = ["borrower", "loan", "kind", "severity", "status", "raised_on"]
    list_filter = ["kind", "severity", "status"]
    raw_id_fields = [
        "borrower",
        "loan",
        "officer",
        "raised_by",
        "verified_by",
        "closed_by",
        "verification_action",
    ]


@admin.register(FaceSigning)
class FaceSigningAdmin(admin.ModelAdmin):
    list_display = ["loan", "signed_by", "signed_on", "place"]
    raw_id_fields = ["loan", "signed_by", "recorded_by"]


@admin.register(DownPaymentReceipt)
class DownPaymentReceiptAdmin(admin.ModelAdmin):
    list_display = ["loan", "receipt_no", "receipt_amount", "statement_amount", "paid_on"]
    raw_id_fields = ["loan", "recorded_by"]


@admin.register(ProjectFlag)
class ProjectFlagAdmin(admin.ModelAdmin):
    list_display = ["project", "developer", "kind", "status", "flagged_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["verification_action"]
