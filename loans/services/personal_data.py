"""The one rule for personal data (docs/personal-data.md): every page, export, email, API
answer and admin page that shows a borrower's or guarantor's ID number or phone asks
``personal_data_show`` (or ``personal_data_show_many`` for a list), which decides masked or
full and, whenever it returns a full value, first writes the privacy log row (查询留痕): who,
whose, which field, where, when."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.access import can_see_personal_data
from accounts.masking import mask_personal
from loans.models import PersonalDataReveal, PersonalField, RevealChannel

# Where a deliberate reveal may show a full value. Emails leave the bank's systems and the
# Django admin is a maintenance tool: both always mask.
REVEALABLE = frozenset({RevealChannel.PAGE, RevealChannel.EXPORT, RevealChannel.API})


@dataclass(frozen=True)
class PersonalValue:
    """One value to show: whose it is (the borrower, and the officer responsible for them)."""

    value: str
    field: str
    borrower_id: int | None
    officer_id: int | None
    loan_id: int | None = None
    about: str = ""  # whose, when not the borrower's own (e.g. a guarantor)


def personal_data_may_reveal(user, *, officer_id: int | None, where: str = RevealChannel.PAGE) -> bool:
    """May ``user`` ask to see this borrower's data in full here? The responsible officer and
    the branch head (or an administrator) may, on a page, an export or the API; a compliance
    officer, another officer, an email and the admin never."""
    return where in REVEALABLE and can_see_personal_data(user, officer_id=officer_id)


def personal_data_check_reveal(user, *, officer_id: int | None) -> None:
    """Refuse (403) a reveal action by someone who may not reveal."""
    if not personal_data_may_reveal(user, officer_id=officer_id):
        raise PermissionDenied


def personal_data_show_many(
    *, user, values: Sequence[PersonalValue], where: str, reveal: bool = False
) -> list[str]:
    """Each value as ``user`` may see it at ``where``: masked, unless ``reveal`` was asked
    deliberately by someone allowed; every full value shown is logged, one row per value."""
    if where not in RevealChannel.values:
        raise ValueError(where)
    shown, log = [], []
    for item in values:
        if item.field not in PersonalField.values:
            raise ValueError(item.field)
        if reveal and item.value and personal_data_may_reveal(user, officer_id=item.officer_id, where=where):
            shown.append(item.value)
            log.append(
                PersonalDataReveal(
                    user=user,
                    borrower_id=item.borrower_id,
                    loan_id=item.loan_id,
                    channel=where,
                    field=item.field,
                    detail=item.about[:200],
                )
            )
        else:
            shown.append(mask_personal(item.field, item.value))
    if log:
        with transaction.atomic():
            PersonalDataReveal.objects.bulk_create(log, batch_size=2000)
    return shown


def personal_data_show(
    *,
    user,
    value: str,
    field: str,
    where: str,
    borrower_id: int | None,
    officer_id: int | None,
    loan_id: int | None = None,
    about: str = "",
    reveal: bool = False,
) -> str:
    """One value as ``user`` may see it (see ``personal_data_show_many``)."""
    item = PersonalValue(value or "", field, borrower_id, officer_id, loan_id, about)
    return personal_data_show_many(user=user, values=[item], where=where, reveal=reveal)[0]


def personal_data_in_email(value: str, *, field: str = PersonalField.PHONE) -> str:
    """A value as an email carries it: always masked (an email leaves the bank's systems)."""
    return personal_data_show(
        user=None, value=value, field=field, where=RevealChannel.EMAIL, borrower_id=None, officer_id=None
    )
