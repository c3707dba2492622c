from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import RESPONSIBLE_ROLES
from loans.models import Guarantee, Product
from post_loan.coming_due import DEFAULT_HORIZON, HORIZONS, KIND_CHOICES
from post_loan.models import ActionStatus, ActionTemplate, RecordField, RequiredAction
from post_loan.services import TEXT_RECORD_FIELDS, YES_NO_RECORD_FIELDS

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        # On a phone the picker offers the back camera first (上门、现场检查 photos); documents
        # can still be chosen from the files.
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": "image/*,.heic,.heif,.pdf,.doc,.docx,.xls,.xlsx,.txt",
                    "capture": "environment",
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class CompletionForm(forms.Form):
    """The completion record; the fields the template requires are marked required (the
    service checks them again)."""

    completed_on = forms.DateField(
        label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    site_visit = forms.ChoiceField(label=_("Site visit made"), choices=YES_NO, required=False)
    collateral_seen = forms.ChoiceField(label=_("Collateral seen"), choices=YES_NO, required=False)
    cash_flow_notes = forms.CharField(
        label=_("Cash flow"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    operations_notes = forms.CharField(
        label=_("Operations"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    environment_notes = forms.CharField(
        label=_("Environment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    market_notes = forms.CharField(
        label=_("Market"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("Photos (JPEG, PNG, HEIC), PDF, Word or Excel; at most %(mb)s MB each.")
        % {"mb": settings.MAX_UPLOAD_SIZE // (1024 * 1024)},
    )

    def __init__(self, *args, action: RequiredAction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()
        required = set(action.template.required_fields)
        names = {**TEXT_RECORD_FIELDS, **YES_NO_RECORD_FIELDS, RecordField.ATTACHMENTS: "files"}
        for record_field, name in names.items():
            if record_field in required:
                self.fields[name].required = (
                    record_field != RecordField.ATTACHMENTS or not action.evidence.exists()
                )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for name in YES_NO_RECORD_FIELDS.values():
            data[name] = {"yes": True, "no": False}.get(data.get(name) or "")
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return for rework"))]
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for waiving"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReassignForm(forms.Form):
    to_user = forms.ModelChoiceField(
        label=_("New first responsible person"), queryset=get_user_model().objects.none()
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, branch_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = (
            get_user_model()
            .objects.filter(
                profile__branch_id=branch_id,
                is_active=True,
                profile__role__in=RESPONSIBLE_ROLES,
            )
            .order_by("profile__employee_no")
        )
        self.fields["to_user"].label_from_instance = lambda user: user.profile.full_name


class NewActionForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ActionTemplate.objects.filter(is_active=True)
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("Why"), max_length=200, required=False)


class ActionTemplateForm(forms.ModelForm):
    products = forms.MultipleChoiceField(
        label=_("Products"), choices=Product.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    guarantees = forms.MultipleChoiceField(
        label=_("Guarantees"), choices=Guarantee.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    required_fields = forms.MultipleChoiceField(
        label=_("Required record fields"),
        choices=RecordField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ActionTemplate
        fields = [
            "code",
            "name",
            "description",
            "source",
            "trigger",
            "offset_days",
            "interval_months",
            "borrower_type",
            "products",
            "guarantees",
            "required_fields",
            "is_active",
        ]


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + ActionStatus.choices, required=False
    )
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=get_user_model().objects.none(), required=False
    )
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ActionTemplate.objects.all(), required=False
    )
    due_before = forms.DateField(
        label=_("Due before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda user: getattr(
            getattr(user, "profile", None), "full_name", user.get_username()
        )


class ComingDueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *KIND_CHOICES], required=False)
    horizon = forms.TypedChoiceField(
        label=_("Within"),
        choices=[(days, _("%(days)s days") % {"days": days}) for days in HORIZONS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_HORIZON,
        initial=DEFAULT_HORIZON,
    )
