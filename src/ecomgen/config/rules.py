"""Validation rules every section shares: error type, number types, names, dates, zones."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import zoneinfo
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
)
from pydantic_core import PydanticCustomError

#: Error type of ecomgen's own rules; ``settings.describe_validation_error`` phrases it.
RULE = "ecomgen_rule"


#: Dates ecomgen supports (every simulated day and the windows of the sales calendar).
FIRST_DATE = dt.date(2000, 1, 1)


LAST_DATE = dt.date(2099, 12, 31)


#: Fixed-offset zones suggested when a zone's UTC offset changes within the period.
FIXED_ZONES = "Asia/Kolkata, UTC, Asia/Tokyo, Asia/Dubai or Etc/GMT-3 (UTC+03:00)"


#: A sale window whose end is before its start wraps round the new year; at most this long.
MAX_WRAP_DAYS = 92


def rule(message: str, *, show_value: bool = False) -> PydanticCustomError:
    """A validation error whose one-line message follows the key path (and the value)."""
    return PydanticCustomError(RULE, "{message}", {"message": message, "show_value": show_value})


def _number(value: Any) -> Any:
    """Refuse true/false where a number belongs (pydantic would read them as 1 and 0)."""
    if isinstance(value, bool):
        raise rule("is true/false where a number belongs; write a number", show_value=True)
    return value


#: An int or float field that refuses booleans (ints stay accepted for floats).
Int = Annotated[int, BeforeValidator(_number)]


Float = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]


#: A boolean field that refuses numbers and strings.
Bool = StrictBool


Prob = Annotated[Float, Field(ge=0.0, le=1.0)]


#: A positive share of a table (relative to the table's sum).
Share = Annotated[Float, Field(gt=0.0, le=1e9)]


#: A relative weight in a table (0 allowed, but not for every entry of the table).
Weight = Annotated[Float, Field(ge=0.0, le=1e9)]


#: A multiplier of a category's weight.
Multiplier = Annotated[Float, Field(ge=0.0, le=1_000.0)]


#: A price in rupees (up to 10 crore, so paise amounts stay far inside int64).
Price = Annotated[Float, Field(gt=0.0, le=100_000_000.0)]


#: A span of days (stock cover, reorder points).
Days = Annotated[Float, Field(gt=0.0, le=3_650.0)]


#: Why a line is returned (``returns.reason``).
ReturnReason = Literal["size_fit", "defective", "damaged_in_transit", "not_as_described",
                       "wrong_item", "changed_mind", "late_delivery"]


def _distinct_names(names: list[str]) -> list[str]:
    """The list unchanged, or a rule error naming the first name listed twice."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise rule(f"lists {json.dumps(name, ensure_ascii=False)} twice; name each entry once")
        seen.add(name)
    return names


def _fmt(x: float) -> str:
    """A number as TOML writes it, whole numbers without a fraction (6000, 0.08)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _all_zero(weights: Iterable[float]) -> bool:
    """True when a non-empty table's weights are all zero."""
    values = list(weights)
    return bool(values) and not any(values)


class Strict(BaseModel):
    """Base model: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def month_day_problem(text: str) -> str | None:
    """Why ``text`` is not a month-day of some year (02-29 counts), or None when it is."""
    if len(text) != 5 or text[2] != "-" or not (text[:2] + text[3:]).isdigit() \
            or not text.isascii():
        return "not in MM-DD form"
    month, day = int(text[:2]), int(text[3:])
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    days = calendar.monthrange(2000, month)[1]  # 2000 is a leap year: 02-29 is a day
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} has {days} days"
    return None


def wrap_days(start: str, end: str) -> int:
    """Length in days of a window from ``start`` to an earlier ``end`` of the next year."""
    first = 2004 if start == "02-29" else 2003 if end == "02-29" else 2001  # leap 2004
    a = dt.date(first, int(start[:2]), int(start[3:]))
    b = dt.date(first + 1, int(end[:2]), int(end[3:]))
    return (b - a).days + 1


#: How strongly a product's quality, delivery delay or price tilts its star ratings.
Effect = Annotated[Float, Field(ge=0.0, le=10.0)]


@functools.cache
def known_zones() -> frozenset[str]:
    """IANA time zone names of the installed zone database (machine-local aliases left out)."""
    return frozenset(zoneinfo.available_timezones() - {"localtime", "posixrules"})


@functools.cache
def known_zones_lower() -> dict[str, str]:
    """Known zone names by their lower-case spelling."""
    return {name.lower(): name for name in known_zones()}


def offset_change(zone: dt.tzinfo, start: dt.date, end: dt.date
                  ) -> tuple[dt.date, dt.timedelta, dt.timedelta] | None:
    """The first day from ``start`` to ``end`` on which ``zone``'s UTC offset changes, with
    the offsets before and after, or None when the offset is the same all period."""
    def offset(day: dt.date) -> dt.timedelta:
        return dt.datetime.combine(day, dt.time(), zone).utcoffset() or dt.timedelta()

    first = offset(start)
    day = start
    while day <= end:
        after = offset(day + dt.timedelta(days=1))  # the next local midnight
        if after != first:
            return day, first, after
        day += dt.timedelta(days=1)
    return None


def _utc(offset: dt.timedelta) -> str:
    """A UTC offset as UTC+05:30."""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
