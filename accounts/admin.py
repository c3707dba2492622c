from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch, StaffProfile

User = get_user_model()


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")
    list_select_related = ("parent",)


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fk_name = "user"


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ("username", "staff_name", "staff_role", "staff_branch", "is_active", "last_login")
    list_select_related = ("profile__branch",)
    list_filter = ("is_active", "profile__role", "profile__branch")
    search_fields = ("username", "profile__full_name", "profile__employee_no")

    @admin.display(description=_("full name"))
    def staff_name(self, obj):
        return getattr(getattr(obj, "profile", None), "full_name", "")

    @admin.display(description=_("role"))
    def staff_role(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else ""

    @admin.display(description=_("branch"))
    def staff_branch(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.branch if profile else ""
