from django.contrib import admin

from notifications.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("kind", "key_date", "to_address", "subject", "status", "attempts", "sent_at")
    list_filter = ("kind", "status", "key_date")
    search_fields = ("to_address", "subject")
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]
