"""The privacy log: who saw full ID numbers and phones."""

from django.core.exceptions import PermissionDenied

from accounts.access import can_see_personal_data
from loans.models import Borrower, Loan, PersonalDataReveal, RevealChannel


def personal_data_reveal(
    *,
    user,
    borrower: Borrower | None,
    officer_id: int | None,
    channel: str,
    detail: str,
    loan: Loan | None = None,
) -> PersonalDataReveal:
    """Log that ``user`` saw full ID numbers and phones; refuses users who may not."""
    if not can_see_personal_data(user, officer_id=officer_id):
        raise PermissionDenied
    if channel not in RevealChannel.values:
        raise ValueError(channel)
    return PersonalDataReveal.objects.create(
        user=user, borrower=borrower, loan=loan, channel=channel, detail=detail[:200]
    )
