import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from loans.domain import Bucket, RiskClass
from loans.models import Product, RepaymentMethod, RestructuringKind


class LoanFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, ID or loan number"), required=False, max_length=100)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, required=False)
    product = forms.ChoiceField(label=_("Product"), choices=[("", "—")] + Product.choices, required=False)
    risk_class = forms.TypedChoiceField(
        label=_("Class"),
        choices=[("", "—")] + RiskClass.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    bucket = forms.ChoiceField(label=_("Bucket"), choices=[("", "—")] + Bucket.choices, required=False)
    # The dashboard's drill-downs: every non-performing loan, every overdue loan.
    group = forms.ChoiceField(
        label=_("Group"),
        choices=[
            ("", "—"),
            ("npl", _("Non-performing")),
            ("overdue", _("Overdue")),
            ("restructured", _("Restructured")),
            ("written_off", _("Written off")),
        ],
        required=False,
    )
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None, required=False, to_field_name="code")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, officers, branches, several_branches: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["branch"].queryset = branches
        if not several_branches:
            # One branch in view: nothing to choose, but a link may still name it.
            self.fields["branch"].widget = forms.HiddenInput()
        self.fields["officer"].label_from_instance = lambda user: getattr(
            getattr(user, "profile", None), "full_name", user.get_username()
        )
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    principal = forms.DecimalField(label=_("Principal (yuan)"), max_digits=16, decimal_places=2, min_value=0)
    interest = forms.DecimalField(label=_("Interest (yuan)"), max_digits=16, decimal_places=2, min_value=0)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=64,
        help_text=_("The receipt or transaction number: the same reference is never counted twice."),
    )


class ClassificationProposeForm(forms.Form):
    to_class = forms.TypedChoiceField(label=_("New class"), choices=RiskClass.choices, coerce=int)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ClassificationDecideForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Required when rejecting."),
    )


class RestructuringForm(forms.Form):
    """A restructuring proposal (重组 / 展期): the adjustments and the new terms."""

    kinds = forms.MultipleChoiceField(
        label=_("Adjustments"), choices=RestructuringKind.choices, widget=forms.CheckboxSelectMultiple
    )
    difficulty = forms.CharField(
        label=_("Financial difficulty of the debtor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    new_matures_on = forms.DateField(
        label=_("New maturity"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    new_annual_rate = forms.DecimalField(
        label=_("New annual rate (%)"), max_digits=7, decimal_places=4, min_value=0, max_value=35
    )
    new_repayment_method = forms.ChoiceField(label=_("New repayment method"), choices=RepaymentMethod.choices)
    new_repayment_day = forms.IntegerField(label=_("New repayment day"), min_value=1, max_value=31)


class RestructuringReviewForm(forms.Form):
    """The branch head's review at the end of the observation period."""

    resolved = forms.TypedChoiceField(
        label=_("Financial difficulty of the debtor"),
        choices=[("1", _("Resolved: leave restructured status")), ("0", _("Not resolved: observe again"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class QuoteDateForm(forms.Form):
    """The date of the arrears quote (``?quote_date=``), today when absent or invalid."""

    quote_date = forms.DateField(
        label=_("Quote date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def quote_date_form(params, *, today: dt.date) -> tuple[QuoteDateForm, dt.date]:
    form = QuoteDateForm({"quote_date": params.get("quote_date") or today.isoformat()})
    return form, form.cleaned_data["quote_date"] if form.is_valid() else today
