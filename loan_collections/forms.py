from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from loan_collections.models import (
    Channel,
    CollectionSettings,
    LegalStage,
    MeasureKind,
    Outcome,
    OverdueCauseKind,
    Party,
    Stage,
)
from loans.models import MONEY


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(forms.Form):
    contacted_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    party = forms.ChoiceField(label=_("Person reached"), choices=Party.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    promise_amount = forms.DecimalField(label=_("Promised amount (yuan)"), required=False, **MONEY)
    promise_date = forms.DateField(label=_("Promised date"), required=False, widget=_date())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=200)
    next_step_on = forms.DateField(label=_("Next step on"), required=False, widget=_date())
    override_reason = forms.CharField(
        label=_("Override reason (branch head only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only the branch head may log a call or visit at a time the rules forbid, with a reason."
        ),
    )
    late_entry_reason = forms.CharField(
        label=_("Late entry reason (补录)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when the contact took place longer ago than the branch's window for late entries."
        ),
    )


class FollowUpCloseForm(forms.Form):
    """Closing a "call again" without logging a contact: only with a reason."""

    reason = forms.CharField(
        label=_("Reason for closing without a contact"),
        max_length=500,
        error_messages={
            "required": _("Log the contact made for this follow-up, or say why it is closed without one.")
        },
        widget=forms.TextInput(attrs={"placeholder": _("e.g. repaid in full at the counter")}),
    )


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class CaseOpenForm(forms.Form):
    borrower = forms.ModelChoiceField(label=_("Borrower"), queryset=None)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, borrowers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = borrowers


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    target_amount = forms.DecimalField(
        label=_("Collection target (yuan)"),
        required=False,
        help_text=_("Leave empty for the whole balance at the start of the year."),
        **MONEY,
    )
    strategy = forms.CharField(label=_("Strategy"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())
    target_date = forms.DateField(label=_("Target date"), widget=_date())
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, branch_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(profile__branch_id=branch_id)
        self.fields["owner"].label_from_instance = lambda user: user.profile.full_name


# Court papers: scans, PDF, Word and Excel.
LEGAL_DOCUMENT_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx"})


def _checked_upload(upload):
    if upload and upload.size > settings.MAX_UPLOAD_SIZE:
        raise forms.ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": settings.MAX_UPLOAD_SIZE // (1024 * 1024)}
        )
    if upload and PurePath(upload.name or "").suffix.lower() not in LEGAL_DOCUMENT_EXTENSIONS:
        raise forms.ValidationError(
            _("Only these file types are accepted: %(types)s.")
            % {"types": ", ".join(sorted(LEGAL_DOCUMENT_EXTENSIONS))}
        )
    return upload


class LegalActionForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=_date())
    court = forms.CharField(label=_("Court"), max_length=100)
    court_case_no = forms.CharField(label=_("Court case number"), max_length=60)
    claim_amount = forms.DecimalField(label=_("Claim (yuan)"), **MONEY)
    documents = forms.FileField(label=_("Documents"), required=False)

    def clean_documents(self):
        return _checked_upload(self.cleaned_data.get("documents"))


class LegalUpdateForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=LegalStage.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    recovered_amount = forms.DecimalField(label=_("Recovered (yuan)"), **MONEY)
    documents = forms.FileField(label=_("Documents"), required=False)

    def clean_documents(self):
        return _checked_upload(self.cleaned_data.get("documents"))


class OverdueCauseForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause"), choices=OverdueCauseKind.choices)
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}))


class CollectionSettingsForm(forms.ModelForm):
    class Meta:
        model = CollectionSettings
        fields = [
            "quiet_lunar_days",
            "last_day_rule",
            "earliest_time",
            "latest_time",
            "weekly_call_cap",
            "late_entry_hours",
        ]
        widgets = {
            "earliest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "latest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
