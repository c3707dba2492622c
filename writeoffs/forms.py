from django import forms
from django.utils.translation import gettext_lazy as _

from writeoffs.models import Grounds, RecoverySource

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WriteOffProposeForm(forms.Form):
    grounds = forms.ChoiceField(label=_("Bad-debt condition met"), choices=Grounds.choices)
    reason = forms.CharField(
        label=_("Facts and evidence"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What was done to recover the loan and the documents that prove the condition."),
    )
    principal = forms.DecimalField(
        label=_("Principal written off (yuan)"), max_digits=16, decimal_places=2, min_value=0
    )
    interest = forms.DecimalField(
        label=_("Interest written off (yuan)"), max_digits=16, decimal_places=2, min_value=0
    )


class WriteOffDecideForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Required when you reject the proposal."),
    )


class RecoveryForm(forms.Form):
    recovered_on = forms.DateField(label=_("Recovered on"), widget=_DATE)
    amount = forms.DecimalField(
        label=_("Amount recovered (yuan)"), max_digits=16, decimal_places=2, min_value=0.01
    )
    source = forms.ChoiceField(label=_("Source"), choices=RecoverySource.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
