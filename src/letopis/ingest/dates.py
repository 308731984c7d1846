"""Publication dates from metadata, kept at the precision they are given: 2014, 2010-11, 2013-12-18."""
from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")
_PDF = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if not 1000 <= y <= 2999:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def normalize_date(value: object) -> str | None:
    """A metadata date → ISO 8601 at its own precision, or None when it is not a date.

    >>> normalize_date("2010-11"), normalize_date(2014), normalize_date("18.12.2013")
    ('2010-11', '2014', '2013-12-18')
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return _iso(value)
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    if m := _PDF.match(s):
        y, mo, d = m.groups()
        return _iso(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := _ISO.match(s):
        y, mo, d = m.groups()
        return _iso(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := _DMY.match(s):
        d, mo, y = m.groups()
        return _iso(int(y), int(mo), int(d))
    return _parse_words(s)


def _parse_words(s: str) -> str | None:
    """'December 18, 2013', '18 декабря 2013': full dates written out in words."""
    if not re.search(r"\d{4}", s) or len(s) > 64:
        return None
    import dateparser
    parsed = dateparser.parse(s, languages=["ru", "uk", "en"],
                              settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date().isoformat() if parsed else None
