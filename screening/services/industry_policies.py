"""Editing and seeding the industry policy list (loans.models.IndustryPolicy)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import APPROVER_ROLES, role_of
from loans.domain import normalise_industry_code
from loans.models import IndustryPolicy
from screening.defaults import DEFAULT_POLICIES


@transaction.atomic
def industry_policy_save(*, policy: IndustryPolicy, user) -> IndustryPolicy:
    if role_of(user) not in APPROVER_ROLES:
        raise ValidationError(_("Only the branch head can edit the industry policy list."))
    policy.code = normalise_industry_code(policy.code)
    if not re.fullmatch(r"[A-T][0-9]{0,4}", policy.code):
        raise ValidationError(
            {"code": _("A GB/T 4754 code is a section letter A–T and up to four digits, e.g. C26 or C2614.")}
        )
    policy.updated_by = user
    policy.full_clean()
    policy.save()
    return policy


def industry_policies_seed() -> int:
    """Create the default policies that are missing; edited ones are left alone."""
    created = 0
    for code, name, level, reason, source in DEFAULT_POLICIES:
        _policy, was_created = IndustryPolicy.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "reason": reason, "source": source}
        )
        created += was_created
    return created
