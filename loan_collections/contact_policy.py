"""Humane timing for collection calls and visits (人性化催收), as pure functions.

The branch's practice (MISSION.md, practice 5): no calls on the lunar 1st, 15th and 30th
(初一、十五、三十) and none before 10:00; the branch head also sets an evening limit and a cap
on calls per borrower per week. "The 30th" is the last day of the lunar month by default:
the 30th when the month has one, else the 29th (除夕 2026-02-16 is 腊月廿九 and is still
大年三十); the "literal 30th only" setting keeps just real 30ths. Leap months count like any
other month.

Lunar dates come from borax (MIT), whose tables are validated against the Hong Kong
Observatory's; no hand-made table. Working days (chinesecalendar) are not needed here: the
rules are the same on every day of the week.

Only phone calls and visits are restricted; SMS and letters are not contacts "at" a time.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from borax.calendars.lunardate import MAX_LUNAR_YEAR, MIN_LUNAR_YEAR, LCalendars, LunarDate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
# How far ahead next_allowed looks before giving up (several quiet days in a row plus a
# full week of capped calls is at most a couple of weeks).
_SEARCH_DAYS = 60
# borax's tables cover lunar years 1900-2100 (solar 1900-01-31 to 2101-01-28). The rules are
# promised for whole solar years one inside each end, so a time zone's day either way and the
# next_allowed search stay inside the tables.
FIRST_YEAR, LAST_YEAR = MIN_LUNAR_YEAR + 1, MAX_LUNAR_YEAR - 1


@dataclass(frozen=True)
class PolicyRules:
    quiet_lunar_days: bool = True
    literal_thirtieth: bool = False
    earliest: dt.time = dt.time(10, 0)
    latest: dt.time = dt.time(20, 0)
    weekly_call_cap: int = 3


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str
    next_allowed: dt.datetime  # Asia/Shanghai, aware; equals the asked time when allowed


def supported_check(when: dt.date | dt.datetime) -> None:
    """The one range check for every date or time the timing rules are asked about (the
    contact form, the API): a clear ValidationError outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise ValidationError(
            _("The lunar calendar covers the years %(first)s to %(last)s; give a time in that range.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="out_of_range",
        )


def lunar_of(day: dt.date) -> LunarDate:
    return LunarDate.from_solar(day)


def lunar_month_length(lunar: LunarDate) -> int:
    return LCalendars.ndays(lunar.year, lunar.month, lunar.leap)


def quiet_day_label(day: dt.date, *, literal_thirtieth: bool = False) -> str | None:
    """The reason ``day`` is a lunar quiet day (e.g. "农历初一"), or None."""
    lunar = lunar_of(day)
    month_name = f"{lunar.cn_leap}{lunar.cn_month}月"  # e.g. 闰六月 in a leap month
    if lunar.day == 1:
        return _("lunar 1st (%(lunar)s)") % {"lunar": month_name + "初一"}
    if lunar.day == 15:
        return _("lunar 15th (%(lunar)s)") % {"lunar": month_name + "十五"}
    last = 30 if literal_thirtieth else lunar_month_length(lunar)
    if lunar.day == last:
        return _("last day of the lunar month (%(lunar)s)") % {"lunar": month_name + lunar.cn_day}
    return None


def week_start(day: dt.date) -> dt.date:
    """Monday of the calendar week; the weekly cap counts Monday to Sunday."""
    return day - dt.timedelta(days=day.weekday())


def _local(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("contact times must be timezone-aware")
    return at.astimezone(SHANGHAI)


def _first_open_moment(at: dt.datetime, rules: PolicyRules, calls_by_week: dict[dt.date, int]) -> dt.datetime:
    """The earliest moment at or after ``at`` when every rule allows a call."""
    candidate = at
    for _day in range(_SEARCH_DAYS):
        day = candidate.date()
        day_start = dt.datetime.combine(day, rules.earliest, tzinfo=SHANGHAI)
        quiet = rules.quiet_lunar_days and quiet_day_label(day, literal_thirtieth=rules.literal_thirtieth)
        capped = calls_by_week.get(week_start(day), 0) >= rules.weekly_call_cap
        if not quiet and not capped and candidate.time() < rules.latest:
            return max(candidate, day_start)
        candidate = dt.datetime.combine(day + dt.timedelta(days=1), rules.earliest, tzinfo=SHANGHAI)
    return candidate


def contact_window(
    at: dt.datetime, rules: PolicyRules, *, calls_this_week: int = 0, is_call: bool = True
) -> Verdict:
    """May an officer call or visit at ``at``? With a plain-language reason and the next
    allowed moment. ``calls_this_week`` is the borrower's phone calls already logged in the
    calendar week of ``at``; ``is_call`` says whether this attempt is a phone call (the
    weekly cap counts calls only; visits follow the day and hour rules). Raises
    ValidationError for a time outside the supported years."""
    supported_check(at)
    at = _local(at)
    day = at.date()
    reasons = []
    if rules.quiet_lunar_days:
        label = quiet_day_label(day, literal_thirtieth=rules.literal_thirtieth)
        if label:
            reasons.append(_("No collection calls or visits on the %(day)s.") % {"day": label})
    if at.time() < rules.earliest:
        reasons.append(
            _("No collection calls or visits before %(time)s.") % {"time": rules.earliest.strftime("%H:%M")}
        )
    elif at.time() >= rules.latest:
        reasons.append(
            _("No collection calls or visits from %(time)s in the evening.")
            % {"time": rules.latest.strftime("%H:%M")}
        )
    week = {week_start(day): calls_this_week if is_call else 0}
    if is_call and calls_this_week >= rules.weekly_call_cap:
        reasons.append(
            _("This borrower has already had %(count)s calls this week (the limit is %(cap)s).")
            % {"count": calls_this_week, "cap": rules.weekly_call_cap}
        )
    if not reasons:
        return Verdict(True, _("Calls and visits are allowed now."), at)
    return Verdict(False, " ".join(reasons), _first_open_moment(at, rules, week))


def day_status(day: dt.date, rules: PolicyRules) -> str | None:
    """For the worklist: why today is a quiet day, or None."""
    if not rules.quiet_lunar_days:
        return None
    return quiet_day_label(day, literal_thirtieth=rules.literal_thirtieth)
