"""Each branch's humane-timing rules, set by the branch head."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, has_role
from loan_collections.models import CollectionSettings


@transaction.atomic
def collection_settings_save(*, branch, by, **fields) -> CollectionSettings:
    """The branch head sets the humane-timing rules of their branch."""
    if not has_role(by, *APPROVER_ROLES):
        raise ValidationError(_("Only the branch head can change the collection rules."))
    settings, _created = CollectionSettings.objects.get_or_create(branch=branch)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.updated_by = by
    if settings.earliest_time >= settings.latest_time:
        raise ValidationError(_("The evening limit must be later than the morning start."))
    settings.full_clean()
    settings.save()
    return settings
