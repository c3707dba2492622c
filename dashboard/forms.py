import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SnapshotBuildForm(forms.Form):
    as_of = forms.DateField(
        label=_("Snapshot date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The ledger as it stands now is recorded under this date (usually a month end)."),
    )


class SnapshotImportForm(forms.Form):
    file = forms.FileField(label=_("History CSV"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(_("The file is too large."))
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload


class ReportGenerateForm(forms.Form):
    """Which branch and month to report on: by default the user's own branch and the month
    just over (the report the beat job makes on the 1st)."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None, empty_label=None)
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    def __init__(self, *args, branches, own_branch_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches.order_by("code")
        if not self.is_bound:
            first = timezone.localdate().replace(day=1)
            self.initial["month"] = (first - dt.timedelta(days=1)).strftime("%Y-%m")
            if own_branch_id is not None and branches.filter(pk=own_branch_id).exists():
                self.initial["branch"] = own_branch_id
