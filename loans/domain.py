"""Pure rules of the ledger, with no database access.

Five-tier classification floor by days past due, from the Measures for the Risk
Classification of Financial Assets of Commercial Banks (商业银行金融资产风险分类办法,
CBIRC and PBOC, 2023), article 11 ff.: overdue at all -> at least special mention (关注);
over 90 days -> at least substandard (次级); over 270 -> at least doubtful (可疑); over 360 ->
loss (损失). Non-performing = substandard + doubtful + loss.
"""

import datetime as dt
import re
from collections.abc import Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from loans import schedules


class RiskClass(models.IntegerChoices):
    """Ordered: a higher number is a worse class."""

    NORMAL = 1, _("Normal")  # 正常
    SPECIAL_MENTION = 2, _("Special mention")  # 关注
    SUBSTANDARD = 3, _("Substandard")  # 次级
    DOUBTFUL = 4, _("Doubtful")  # 可疑
    LOSS = 5, _("Loss")  # 损失


NON_PERFORMING_CLASSES = (RiskClass.SUBSTANDARD, RiskClass.DOUBTFUL, RiskClass.LOSS)


class Bucket(models.TextChoices):
    """Delinquency buckets by days past due."""

    CURRENT = "current", _("Current")
    D1_30 = "1-30", _("1–30 days")
    D31_60 = "31-60", _("31–60 days")
    D61_90 = "61-90", _("61–90 days")
    D91_180 = "91-180", _("91–180 days")
    D181_270 = "181-270", _("181–270 days")
    D271_360 = "271-360", _("271–360 days")
    OVER_360 = "360+", _("Over 360 days")


_BUCKET_LIMITS = (
    (0, Bucket.CURRENT),
    (30, Bucket.D1_30),
    (60, Bucket.D31_60),
    (90, Bucket.D61_90),
    (180, Bucket.D91_180),
    (270, Bucket.D181_270),
    (360, Bucket.D271_360),
)


# The classification floor (article 11 ff. of the 2023 measures): more than this many days
# past due -> at least this class. The Python rule below, the daily recompute's SQL
# (loans.services.arrears) and the loan's check constraint (loans.models.ledger) are all
# generated from this table.
_FLOOR_LIMITS = (
    (0, RiskClass.SPECIAL_MENTION),
    (90, RiskClass.SUBSTANDARD),
    (270, RiskClass.DOUBTFUL),
    (360, RiskClass.LOSS),
)


def bucket_for(days_past_due: int) -> Bucket:
    for limit, bucket in _BUCKET_LIMITS:
        if days_past_due <= limit:
            return bucket
    return Bucket.OVER_360


def risk_class_floor(days_past_due: int) -> RiskClass:
    """The best class a loan may have with this many days past due."""
    for limit, floor in reversed(_FLOOR_LIMITS):
        if days_past_due > limit:
            return floor
    return RiskClass.NORMAL


def is_non_performing(risk_class: int) -> bool:
    return risk_class >= RiskClass.SUBSTANDARD


def class_floor(days_past_due: int, restructuring_floor: int = RiskClass.NORMAL) -> RiskClass:
    """The best class a loan may have: the worse of the days-past-due floor above and the
    restructuring floor recorded on the loan (``Loan.class_floor``, set by
    ``restructuring_floor`` below). The daily recompute (loans.services.arrears) and the
    loan's check constraints (loans.models.ledger) apply the same two floors."""
    return RiskClass(max(risk_class_floor(days_past_due), int(restructuring_floor)))


# --- Restructured assets (重组资产), 2023 measures chapter 4, arts. 17-22 -------------------
# Source: 商业银行金融资产风险分类办法 (CBIRC and PBOC order 2023 No. 1). The article numbers
# are those the issue names (arts. 17-22); the wording is summarised from memory of the
# published text, not quoted: art. 17 defines a restructured asset (debtor in financial
# difficulty + contract adjusted in its favour); art. 18 lists the adjustments; art. 19 the
# observation period (from the first repayment date after the adjustment, at least two
# consecutive repayment periods and at least one year; restarts after a missed payment or
# when the difficulty is not resolved at its end); arts. 20-21 the classes (normal / 关注
# before -> at least 关注; restructured again within the period -> at least 次级; non-performing
# before -> not upgraded during the period); art. 22 leaving restructured status.

OBSERVATION_MIN_MONTHS = 12
OBSERVATION_MIN_PERIODS = 2


def restructuring_floor(*, class_before: int, again_in_observation: bool) -> RiskClass:
    """The class floor a restructuring sets for its observation period (arts. 20-21).

    - performing before (正常 or 关注): at least 关注;
    - non-performing before: no upgrade during the period, so the class at restructuring;
    - restructured again within an observation period: at least 次级.
    """
    if is_non_performing(class_before):
        floor = int(class_before)
    else:
        floor = int(RiskClass.SPECIAL_MENTION)
    if again_in_observation:
        floor = max(floor, int(RiskClass.SUBSTANDARD))
    return RiskClass(floor)


def observation_window(*, due_dates: Sequence[dt.date], after: dt.date, inclusive: bool = False):
    """(start, end) of an observation period (art. 19).

    Starts at the first repayment date after ``after`` (on or after it when ``inclusive``:
    a restart "from the missed date" starts on that date); ends on the later of one year
    after the start and the end of the second full repayment period after the start (the
    due date two instalments later). Without a repayment date left, the period starts on
    ``after`` itself. Example: monthly dates on the 15th, adjusted 2026-03-01 -> start
    2026-03-15, end 2027-03-15; quarterly settlement (20 Mar/Jun/Sep/Dec) the same way.
    """
    dates = sorted(set(due_dates))
    later = [day for day in dates if day > after or (inclusive and day == after)]
    start = later[0] if later else after
    one_year = schedules.add_months(start, OBSERVATION_MIN_MONTHS)
    periods_end = later[OBSERVATION_MIN_PERIODS] if len(later) > OBSERVATION_MIN_PERIODS else start
    return start, max(one_year, periods_end)


def first_missed_due_date(lines, *, since: dt.date, as_of: dt.date) -> dt.date | None:
    """The first instalment due on or after ``since`` and before ``as_of`` that was not paid
    in full and on time (art. 19: the observation period restarts from it). ``lines`` have
    due_on, paid_on and the due / paid amounts (ScheduleLine)."""
    for line in sorted(lines, key=lambda line: line.due_on):
        if line.due_on < since or line.due_on >= as_of:
            continue
        paid_in_full = line.principal_paid >= line.principal_due and line.interest_paid >= line.interest_due
        if line.paid_on is None or line.paid_on > line.due_on or not paid_in_full:
            return line.due_on
    return None


def observation_exit_missing(
    *, ends_on: dt.date, as_of: dt.date, days_past_due: int, difficulty_resolved: bool
) -> list[str]:
    """What still keeps a loan in restructured status (arts. 19 and 22); empty: it may leave.
    The period must be over, nothing overdue, and the debtor's difficulty resolved."""
    missing = []
    if as_of < ends_on:
        missing.append(_("The observation period runs until %(date)s.") % {"date": ends_on.isoformat()})
    if days_past_due > 0:
        missing.append(_("The loan is %(days)d days past due.") % {"days": days_past_due})
    if not difficulty_resolved:
        missing.append(_("The debtor's financial difficulty is not resolved."))
    return missing


def normalise_industry_code(code: str) -> str:
    """A GB/T 4754 industry code as stored: upper-case, without spaces ("c 26" -> "C26")."""
    return re.sub(r"\s+", "", code or "").upper()
