"""How the branch writes money, classes and dates: one function per kind of figure, used by
the template filters (core/templatetags/branch_ops_format.py), the dashboard, the monthly
report's Excel/PDF and the emails, so that a figure reads the same wherever it is printed.

Money is written as bank statements write it: thousands separators and two places
(``57,264.06``), whatever the UI language (Django's ``intcomma`` follows the locale, and the
Chinese format defines no separator). Amounts are ``Decimal``; a ``float`` is refused, since
it has already lost the cents it should print. Rounding is 四舍五入 (half up).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
WAN = Decimal("10000")
EMPTY = "—"


def to_decimal(value) -> Decimal | None:
    """An amount as Decimal: Decimal, int or a numeric string; never a float."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, not float: pass Decimal(str(value)) if you must")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {value!r}") from error


def format_amount(value) -> str:
    """``57264.06`` → ``57,264.06``: separators, two places, half up; ``—`` when empty."""
    amount = to_decimal(value)
    if amount is None:
        return EMPTY
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def format_yuan(value, *, symbol: bool = False) -> str:
    """An amount in yuan, optionally with ``¥`` (a negative amount reads ``-¥1,000.00``)."""
    text = format_amount(value)
    if not symbol or text == EMPTY:
        return text
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"


def to_wan(value) -> Decimal | None:
    """Yuan to 万元 with two places (how the branch reads its portfolio figures)."""
    amount = to_decimal(value)
    if amount is None:
        return None
    return (amount / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def format_wan(value) -> str:
    """An amount in yuan written in 万元: ``219210000`` → ``21,921.00``."""
    return format_amount(to_wan(value))


def format_date(value) -> str:
    """Dates as the UI shows them: ``YYYY-MM-DD`` (a datetime in local time, to the day)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def format_datetime(value) -> str:
    """``YYYY-MM-DD HH:MM`` in local time."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return value[:16].replace("T", " ")
    return format_date(value)


def risk_class_label(value) -> str:
    """The five-tier class (五级分类) by its name, 1 → 正常 … 5 → 损失.

    The labels are the ledger's ``RiskClass`` (loans/domain.py, the 2023 classification
    measures); they are read from the model through the app registry, because core sits
    below the ledger and imports none of it."""
    if value is None or value == "":
        return EMPTY
    field = apps.get_model("loans", "Loan")._meta.get_field("risk_class")
    return choice_label(field, value)


def choice_label(field: models.Field, value) -> str:
    """A coded value (a class, a status) by its label; the code itself if unknown."""
    choices = dict(field.flatchoices)
    for key in (value, _coerce(value)):
        if key in choices:
            return str(choices[key])
    return str(value)


def _coerce(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _money(field, value) -> str:
    # The history stores amounts as JSON numbers: str() gives back the digits written.
    return format_amount(Decimal(str(value)))


def _boolean(field, value) -> str:
    return _("Yes") if value else _("No")


_HISTORY_FORMATTERS = (
    (lambda field: bool(field.choices), choice_label),
    (lambda field: isinstance(field, models.DecimalField), _money),
    (lambda field: isinstance(field, models.DateTimeField), lambda field, value: format_datetime(value)),
    (lambda field: isinstance(field, models.DateField), lambda field, value: format_date(value)),
    (lambda field: isinstance(field, models.BooleanField), _boolean),
)


def history_value(value, field: models.Field | None = None) -> str:
    """One side of a recorded change (``before → after``) written by the field's type:
    money with separators, a class or status by its label, a date as ``YYYY-MM-DD``."""
    if value is None or value == "":
        return "∅"
    if field is not None:
        for applies, write in _HISTORY_FORMATTERS:
            if applies(field):
                return write(field, value)
    return str(value)
