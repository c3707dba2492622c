from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loans.domain import normalise_industry_code
from loans.models import IndustryPolicy
from post_loan.forms import MultipleFileField
from screening.models import Severity, SignalKind


class IndustryPolicyForm(forms.ModelForm):
    class Meta:
        model = IndustryPolicy
        fields = ["code", "name", "level", "reason", "source"]

    def clean_code(self):
        # Staff type "c 26"; the stored form is "C26".
        return normalise_industry_code(self.cleaned_data["code"])


class SignalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SignalKind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    raised_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_on"].initial = timezone.localdate()


class SignalVerifyForm(forms.Form):
    result = forms.CharField(
        label=_("Verification result"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SignalCloseForm(forms.Form):
    note = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FaceSigningForm(forms.Form):
    signed_by = forms.ModelChoiceField(
        label=_("Signing officer (responsible)"), queryset=get_user_model().objects.none()
    )
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    # Not required in the form: the service names every missing tick in one clear message.
    borrower_in_person = forms.BooleanField(label=_("Borrower seen in person (亲见本人)"), required=False)
    signature_in_person = forms.BooleanField(label=_("Signature made in person (亲见签字)"), required=False)
    originals_seen = forms.BooleanField(label=_("Original documents seen (亲见原件)"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, branch_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
        self.fields["signed_by"].queryset = (
            get_user_model()
            .objects.filter(profile__branch_id=branch_id, is_active=True)
            .select_related("profile")
        )
        self.fields["signed_by"].label_from_instance = lambda user: user.profile.full_name


class ReceiptForm(forms.Form):
    loan_no = forms.CharField(label=_("Loan number"), max_length=40)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=60)
    paid_on = forms.DateField(
        label=_("Receipt date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    receipt_amount = forms.DecimalField(
        label=_("Amount on the receipt"), max_digits=16, decimal_places=2, min_value=0.01
    )
    statement_amount = forms.DecimalField(
        label=_("Amount on the bank statement"), max_digits=16, decimal_places=2, min_value=0, required=False
    )
