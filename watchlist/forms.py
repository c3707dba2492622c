from django import forms
from django.utils.translation import gettext_lazy as _

from watchlist.models import Reason


class WatchlistFilterForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("All reasons")), *Reason.choices], required=False
    )
