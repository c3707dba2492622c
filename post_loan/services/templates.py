"""The action templates: the defaults seeded, the template of an event, the head's edits."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, role_of
from post_loan.defaults import DEFAULT_TEMPLATES
from post_loan.models import ActionTemplate, Trigger


def action_templates_seed() -> int:
    """Create the default templates that are missing (an edited template is left alone)."""
    created = 0
    for spec in DEFAULT_TEMPLATES:
        values = dict(spec)
        code = values.pop("code")
        _template, was_created = ActionTemplate.objects.get_or_create(code=code, defaults=values)
        created += was_created
    return created


def action_template_for(*, trigger: Trigger) -> ActionTemplate:
    """The active template for an event trigger, seeding the defaults if none exists yet."""
    template = ActionTemplate.objects.filter(trigger=trigger, is_active=True).order_by("id").first()
    if template is None:
        action_templates_seed()
        template = ActionTemplate.objects.filter(trigger=trigger).order_by("id").first()
    if template is None:
        raise ValidationError(_("No action template exists for this event."))
    return template


@transaction.atomic
def action_template_save(*, template: ActionTemplate, user) -> ActionTemplate:
    """Save a template edited by the branch head or an administrator."""
    if role_of(user) not in APPROVER_ROLES:
        raise ValidationError(_("Only the branch head can edit action templates."))
    template.full_clean()
    template.save()
    return template
