"""Real dates of India's moving festivals and of the Big Billion Days sale, any year 2000–2099.

Hindu festivals follow the lunisolar calendar: the vendored table covers
``festival_dates.FIRST_YEAR``..``LAST_YEAR``, and other years take the date of a year 19 years
apart inside it (the Metonic cycle: 235 lunar months are 19 solar years, so the date
repeats within a day or two). Eid al-Fitr is tabled for every supported year. The Big
Billion Days use their announced windows; in other years they open the day before
Navratri and run ``BBD_DAYS`` days, as they mostly have.
"""

from __future__ import annotations

import datetime as dt

from ecomgen.entities.festival_dates import (
    BIG_BILLION_DAYS,
    FIRST_YEAR,
    LAST_YEAR,
    LUNAR,
    LUNISOLAR,
)

#: Years of the Metonic cycle.
METONIC = 19
#: Length of a projected Big Billion Days window.
BBD_DAYS = 7
BIG_BILLION = "big_billion_days"
#: Every name a sale event may be anchored to, in calendar order.
FESTIVAL_NAMES: tuple[str, ...] = ("pongal", "holi", "eid_al_fitr", "raksha_bandhan", "onam",
                                   "ganesh_chaturthi", BIG_BILLION, "navratri", "dussehra",
                                   "diwali")

Window = tuple[dt.date, dt.date]


def _md(year: int, mmdd: str) -> dt.date:
    return dt.date(year, int(mmdd[:2]), int(mmdd[3:]))


def _tabled_year(year: int) -> int:
    """A year of the lunisolar table a multiple of 19 years from ``year``."""
    if year < FIRST_YEAR:
        return year + METONIC * -(-(FIRST_YEAR - year) // METONIC)
    if year > LAST_YEAR:
        return year - METONIC * -(-(year - LAST_YEAR) // METONIC)
    return year


def festival_windows(name: str, year: int) -> list[Window]:
    """First and last day of each occurrence of ``name`` in ``year`` (festivals last one
    day; the Big Billion Days several)."""
    if name == BIG_BILLION:
        if year in BIG_BILLION_DAYS:
            a, b = BIG_BILLION_DAYS[year]
            return [(_md(year, a), _md(year, b))]
        first = festival_windows("navratri", year)[0][0] - dt.timedelta(days=1)
        return [(first, first + dt.timedelta(days=BBD_DAYS - 1))]
    if name in LUNAR:
        return [(_md(year, d), _md(year, d)) for d in LUNAR[name].get(year, ())]
    if name in LUNISOLAR:
        day = _md(year, LUNISOLAR[name][_tabled_year(year)])
        return [(day, day)]
    raise KeyError(name)
