from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ledger_import.models import BatchKind
from ledger_import.parsing import FileRejected, detect_format, reason_text


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("File type"), choices=BatchKind.choices, initial=BatchKind.LEDGER)
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("The file is larger than %(limit)s."),
                params={"limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an .xlsx or .csv file."))
        # The content decides, not the name: a renamed PDF is refused here. The upload is
        # read in pieces (parsing.detect_format), never whole.
        try:
            detect_format(upload)
        except FileRejected as rejected:
            raise ValidationError(reason_text(rejected.issues[0].reason)) from None
        upload.seek(0)
        self.cleaned_data["data"] = upload
        return upload
