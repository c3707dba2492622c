from django.contrib import admin

from writeoffs.models import Recovery, WriteOff


class RecoveryInline(admin.TabularInline):
    model = Recovery
    extra = 0
    readonly_fields = ["recovered_on", "amount", "source", "note", "recorded_by", "recorded_at"]
    can_delete = False


@admin.register(WriteOff)
class WriteOffAdmin(admin.ModelAdmin):
    """Read-only: write-offs are proposed and decided on the pages (maker-checker)."""

    list_display = ["loan", "grounds", "total", "status", "written_off_on"]
    list_filter = ["status", "grounds"]
    inlines = [RecoveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
