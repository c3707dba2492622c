"""Pure rules of the ledger, with no database access.

Five-tier classification floor by days past due, from the Measures for the Risk
Classification of Financial Assets of Commercial Banks (商业银行金融资产风险分类办法,
CBIRC and PBOC, 2023), article 11 ff.: overdue at all -> at least special mention (关注);
over 90 days -> at least substandard (次级); over 270 -> at least doubtful (可疑); over 360 ->
loss (损失). Non-performing = substandard + doubtful + loss.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


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


def normalise_industry_code(code: str) -> str:
    """A GB/T 4754 industry code as stored: upper-case, without spaces ("c 26" -> "C26")."""
    return re.sub(r"\s+", "", code or "").upper()
