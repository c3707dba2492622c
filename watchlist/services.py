"""The daily watchlist refresh: flag, refresh and clear entries, and give each newly flagged
loan an on-site verification action."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.locks import advisory_xact_lock
from loans.models import Loan
from post_loan.models import Trigger
from post_loan.services import action_template_for, required_action_create
from watchlist.models import Reason, WatchlistEntry
from watchlist.rules import flagged_loans

_REASON_TEXT = 200


def _clear_gone(existing: dict[int, WatchlistEntry], found: dict, *, as_of: dt.date) -> None:
    gone = [entry for loan_id, entry in existing.items() if loan_id not in found]
    for entry in gone:
        entry.cleared_on = max(as_of, entry.last_seen_on)
    WatchlistEntry.objects.bulk_update(gone, ["cleared_on"], batch_size=2000)


def _verification_action(loan: Loan, reasons: dict[str, str], *, template, as_of: dt.date):
    labels = "、".join(str(Reason(code).label) for code in reasons)
    action, _created = required_action_create(
        template=template,
        loan=loan,
        due_on=max(as_of + dt.timedelta(days=template.offset_days), loan.disbursed_on),
        reason=(_("Early-warning watchlist: %(reasons)s") % {"reasons": labels})[:_REASON_TEXT],
    )
    return action


@transaction.atomic
def watchlist_refresh(*, as_of: dt.date, branch_ids: set[int] | None = None) -> list[WatchlistEntry]:
    """Run every rule of watchlist.rules over the current loans and bring the open entries in
    line: a newly flagged loan gets an entry and an on-site verification action (post_loan,
    Trigger.ON_SIGNAL: the template and service an early-warning signal and a guarantee-circle
    flag use); a loan still flagged gets today's reasons and details; an entry whose loan no
    rule flags any more is cleared. Idempotent: run twice, the second run finds the first
    one's entries and creates no second entry or action. Serialised by an advisory lock, so a
    daily run and a head's "run now" never interleave. Returns the open entries."""
    advisory_xact_lock(namespace="watchlist.refresh")
    with translation.override(settings.LANGUAGE_CODE):  # details are stored for everyone
        found = flagged_loans(as_of=as_of, branch_ids=branch_ids)
        open_entries = (
            WatchlistEntry.objects.select_for_update().filter(cleared_on__isnull=True).order_by("id")
        )
        if branch_ids is not None:
            open_entries = open_entries.filter(branch_id__in=list(branch_ids))
        existing = {entry.loan_id: entry for entry in open_entries}
        _clear_gone(existing, found, as_of=as_of)
        template = action_template_for(trigger=Trigger.ON_SIGNAL) if found.keys() - existing.keys() else None
        loans = Loan.objects.filter(id__in=list(found)).select_related("branch", "officer")
        entries, new, kept = [], [], []
        for loan in loans.order_by("id"):
            reasons = found[loan.pk]
            entry = existing.get(loan.pk)
            if entry is None:
                entry = WatchlistEntry(
                    loan=loan, branch_id=loan.branch_id, officer_id=loan.officer_id, first_flagged_on=as_of
                )
                entry.verification_action = _verification_action(
                    loan, reasons, template=template, as_of=as_of
                )
                new.append(entry)
            else:
                kept.append(entry)
            entry.branch_id, entry.officer_id = loan.branch_id, loan.officer_id
            entry.reasons = list(reasons)
            entry.details = reasons
            entry.last_seen_on = max(as_of, entry.first_flagged_on)
            entries.append(entry)
        WatchlistEntry.objects.bulk_create(new, batch_size=2000)
        WatchlistEntry.objects.bulk_update(
            kept, ["branch", "officer", "reasons", "details", "last_seen_on"], batch_size=2000
        )
    return entries
