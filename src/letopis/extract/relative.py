"""Calendar arithmetic for ``dates.rules.v1``: relative dates against a document's date.

Every function takes and returns ISO 8601 strings at their precision ('2011-12-16',
'2011-12', '2011') and never invents a part the input lacks: a document dated
'2010-11' makes "yesterday" '2010-11', not a day. ``None`` means "cannot say".
"""
from __future__ import annotations

import calendar
import datetime as dt

UNITS = ("day", "week", "month", "year")


def split_iso(value: str) -> tuple[int, int | None, int | None]:
    """'2011-12-16' -> (2011, 12, 16); '2011-12' -> (2011, 12, None); '2011' -> (2011, None, None)."""
    parts = [int(p) for p in value.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)


def make_iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _as_date(value: str) -> dt.date | None:
    y, m, d = split_iso(value)
    return dt.date(y, m, d) if m and d else None


def shift_days(doc_date: str, days: int) -> str:
    """The document's day moved by ``days``; at a coarser precision, the document's own month or year."""
    day = _as_date(doc_date)
    if day is None:
        return doc_date
    return (day + dt.timedelta(days=days)).isoformat()


def week_range(doc_date: str, weeks: int) -> tuple[str, str | None]:
    """Monday and Sunday of the week ``weeks`` from the document's week (day precision only)."""
    day = _as_date(doc_date)
    if day is None:
        return doc_date, None
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks)
    return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()


def shift_months(doc_date: str, months: int) -> str | None:
    y, m, _ = split_iso(doc_date)
    if m is None:
        return make_iso(y) if months == 0 else None
    total = y * 12 + (m - 1) + months
    return make_iso(total // 12, total % 12 + 1)


def shift_years(doc_date: str, years: int) -> str:
    return make_iso(split_iso(doc_date)[0] + years)


def resolve_weekday(doc_date: str, weekday: int, *, strictly_before: bool = False) -> str:
    """The most recent ``weekday`` (0 = Monday) on (or strictly before) the document's day."""
    day = _as_date(doc_date)
    if day is None:
        return doc_date
    back = (day.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return (day - dt.timedelta(days=back)).isoformat()


def weekday_before(anchor: str, weekday: int) -> str:
    """The ``weekday`` on or before the day ``anchor`` (for "в понедельник и во вторник")."""
    return resolve_weekday(anchor, weekday)


def infer_year(doc_date: str, month: int, day: int | None = None) -> int:
    """The year of a year-less date: the document's year, or the year before when the
    month comes after the document's month (the most recent past occurrence)."""
    y, m, _ = split_iso(doc_date)
    if m is not None and month > m:
        return y - 1
    return y


def _bounds(value: str) -> tuple[dt.date, dt.date]:
    y, m, d = split_iso(value)
    if m is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if d is None:
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    return dt.date(y, m, d), dt.date(y, m, d)


def _minus(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "day":
        return day - dt.timedelta(days=amount)
    if unit == "week":
        return day - dt.timedelta(weeks=amount)
    months = amount * (12 if unit == "year" else 1)
    total = day.year * 12 + (day.month - 1) - months
    y, m = total // 12, total % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def duration_start_year(end_anchor: str, amount: int, unit: str) -> str | None:
    """The year a span of ``amount`` ``unit``s ending at ``end_anchor`` began, or None when the
    anchor's precision leaves that year open (never a month or a day: durations are loose)."""
    if unit not in UNITS or amount < 0:
        return None
    lo, hi = _bounds(end_anchor)
    try:
        first, last = _minus(lo, amount, unit), _minus(hi, amount, unit)
    except (OverflowError, ValueError):
        return None
    return make_iso(first.year) if first.year == last.year else None


def date_contains(a: str | None, b: str | None) -> bool:
    """True when ``b`` falls inside ``a`` at ``a``'s precision ('2011' contains '2011-12-16')."""
    if not a or not b:
        return False
    pa, pb = split_iso(a), split_iso(b)
    return all(x is None or x == y for x, y in zip(pa, pb))


def nearest_weekday(anchor: str, weekday: int) -> str:
    """The ``weekday`` within three days of the day ``anchor`` (a report dated only by month that
    says "В понедельник 18 февраля ... во вторник" means the Tuesday of that week)."""
    day = _as_date(anchor)
    if day is None:
        return anchor
    shift = (weekday - day.weekday()) % 7
    return (day + dt.timedelta(days=shift if shift <= 3 else shift - 7)).isoformat()


def weekend_range(doc_date: str) -> tuple[str, str | None]:
    """Saturday and Sunday of the most recent weekend on or before the document's day."""
    saturday = resolve_weekday(doc_date, 5)
    if len(saturday) != 10:
        return saturday, None
    return saturday, shift_days(saturday, 1)
