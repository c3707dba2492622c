"""The Django admin is a maintenance tool: it shows ID numbers and phones masked, always
(docs/personal-data.md). On an existing borrower or guarantor they are read-only; corrections
come from the core-banking import, the system of record."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from loans.models import (
    Borrower,
    ClassificationChange,
    Collateral,
    Guarantor,
    IndustryPolicy,
    Loan,
    PersonalDataReveal,
    PersonalField,
    Repayment,
    RevealChannel,
    ScheduleLine,
)
from loans.services import personal_data_show


def _masked(obj, field: str, borrower) -> str:
    # The admin never reveals, so whose screen it is does not change the answer.
    return personal_data_show(
        user=None,
        value=getattr(obj, field),
        field=field,
        where=RevealChannel.ADMIN,
        borrower_id=borrower.pk,
        officer_id=borrower.officer_id,
    )


class MaskedPersonalData:
    """Replaces the ID number and phone of an existing row by their masked form."""

    personal_fields = (PersonalField.ID_NUMBER, PersonalField.PHONE)

    def _borrower(self, obj):
        return obj

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, *self.personal_fields] if obj is not None else exclude

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "masked_id_number", "masked_phone"] if obj is not None else fields

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return _masked(obj, PersonalField.ID_NUMBER, self._borrower(obj))

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return _masked(obj, PersonalField.PHONE, self._borrower(obj))


@admin.register(Borrower)
class BorrowerAdmin(MaskedPersonalData, admin.ModelAdmin):
    list_display = ["name", "borrower_type", "branch", "officer", "is_vip"]
    list_filter = ["borrower_type", "branch", "is_vip"]
    search_fields = ["name", "id_number"]
    raw_id_fields = ["officer"]


class CollateralInline(admin.TabularInline):
    model = Collateral
    extra = 0


class GuarantorInline(MaskedPersonalData, admin.TabularInline):
    model = Guarantor
    extra = 0

    def _borrower(self, obj):
        return obj.loan.borrower

    def get_exclude(self, request, obj=None):
        # One form serves every guarantor of the loan: none shows the raw values.
        return [*(super(MaskedPersonalData, self).get_exclude(request, obj) or []), *self.personal_fields]

    def has_add_permission(self, request, obj=None):
        return False  # a guarantor's ID number would be typed in full; it comes from the import


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
    list_display = ["revealed_at", "user", "borrower", "field", "channel", "detail"]
    list_filter = ["channel", "field"]
    raw_id_fields = ["user", "borrower", "loan"]

    def has_change_permission(self, request, obj=None):
        return False  # a privacy log is read-only


@admin.register(IndustryPolicy)
class IndustryPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "source"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
