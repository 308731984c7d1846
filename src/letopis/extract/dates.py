"""``dates.rules.v1``: find the dates a report gives, in Russian, Ukrainian and English.

    find_dates(text, doc_date=..., lang=...) -> [DateMention]

A regex/lexicon scanner (``dates_patterns``) finds candidate *atoms* ("16 декабря
2011 года", "в пятницу", "на прошлой неделе", "в течение 8 месяцев"); overlapping
candidates give way to the longest; a weekday next to its explicit date is absorbed
by the date; two atoms joined by "с ... по", "from ... to", a dash, are one range.
Relative atoms resolve against the document's date only (``relative``), at no finer
precision than that date has. A duration gets a start only from an end anchor in
the same sentence, and then only its year.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from letopis.extract import relative as rel
from letopis.extract.dates_patterns import Patterns, patterns, _norm
from letopis.extract.relative import date_contains, make_iso, resolve_weekday, valid_day  # noqa: F401
from letopis.model import Span

EXTRACTOR = "dates.rules.v1"
KINDS = ("absolute", "relative", "range", "duration_anchor")
_BETWEEN = ("between", "между", "між")
_RANGE_ONLY = ("to", "and")     # "to 2011" alone is a count as often as a year
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_LOWER_WORD = re.compile(r"\s+(?:(?!(?:по|до|и|і|й|та)\b)[а-яёіїєґ]|[a-z]\w*\s+(?:people|persons|protesters|workers|cities))")


@dataclass(frozen=True, slots=True)
class DateMention:
    span: Span                # text[span.start:span.end] == span.text
    start: str                # ISO at its precision: '2011-12-16' | '2011-12' | '2011'
    end: str | None           # for ranges and spans of days
    relative: bool            # resolved from the document's date
    kind: str                 # 'absolute' | 'relative' | 'range' | 'duration_anchor'


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    kind: str                 # date | month | year | yrange | drange | weekday | rel | ago | dur
    y: int | None = None
    m: int | None = None
    d: int | None = None
    y_rel: int | None = None  # "этого года" = 0, "прошлого года" = -1
    y2: int | None = None
    d2: int | None = None
    wd: int | None = None
    action: tuple[str, int] | None = None
    opens: bool = False       # preceded by "с", "from", "since": an open range
    lead: str = ""            # the preposition the match starts with, if any


def find_dates(text: str, *, doc_date=None, lang: str | None = None) -> list[DateMention]:
    """Every date mention in ``text``, in text order; see the module docstring."""
    if not text:
        return []
    pat = patterns()
    doc = parse_doc_date(doc_date)
    atoms = _fuse_weekdays(text, _scan(text, pat, doc, lang), pat)
    out: list[DateMention] = []
    durations: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        anchor = _anchor(doc, out)
        if a.kind == "dur":
            durations.append(a)
            i += 1
            continue
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        merged = _merge(text, a, b, doc, anchor, pat) if b is not None and b.kind != "dur" else None
        if merged is not None:
            out.append(merged)
            i += 2
            continue
        m = None if a.lead in _RANGE_ONLY else _mention(text, a, doc, anchor)
        if m is not None:
            out.append(m)
        i += 1
    out += [m for m in (_duration(text, a, out, pat) for a in durations) if m is not None]
    return sorted(out, key=lambda m: m.span.start)


# ---------------------------------------------------------------- scanning

def _scan(text: str, pat: Patterns, doc: str | None, lang: str | None) -> list[_Atom]:
    found: list[tuple[int, int, int, _Atom]] = []
    low = _lower(text)
    windows = _windows(low, pat)
    for order, (kind, rx) in enumerate(pat.scanners):
        source = text if kind == "Weekday" else low     # English weekdays only when capitalised
        for mt in (mt for lo, hi in windows for mt in rx.finditer(source, lo, hi)):
            atom = _atom(kind.lower(), mt, text, pat, doc, lang)
            if atom is not None:
                found.append((atom.start, -(atom.end - atom.start), order, atom))
    found.sort(key=lambda t: (t[1], t[0], t[2]))     # longest first, then leftmost
    starts: list[int] = []
    atoms: list[_Atom] = []
    for start, _, _, atom in found:
        k = bisect.bisect_right(starts, start)
        if (k and atoms[k - 1].end > start) or (k < len(atoms) and atoms[k].start < atom.end):
            continue
        starts.insert(k, start)
        atoms.insert(k, atom)
    for a in atoms:
        if not a.opens and a.kind in ("date", "month", "year", "drange", "weekday"):
            a.opens = bool(pat.from_before.search(text, max(0, a.start - 20), a.start))
    return atoms


def _lower(text: str) -> str:
    """Lower case with every offset kept (a few characters grow under str.lower)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _windows(text: str, pat: Patterns, margin: int = 60) -> list[tuple[int, int]]:
    """Stretches of text around digits and lexicon words, merged: only these are scanned."""
    out: list[list[int]] = []
    for mt in pat.trigger.finditer(text):
        lo, hi = max(0, mt.start() - margin), min(len(text), mt.end() + margin)
        if out and lo <= out[-1][1]:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _year(raw: str | None, doc: str | None) -> int | None:
    """A year as written; a five-digit typo ('20011') is read when removing one doubled digit
    gives a plausible year (the one nearest the document's year, or the latest)."""
    if raw is None:
        return None
    if len(raw) == 2:
        yy = int(raw)
        ref = rel.split_iso(doc)[0] if doc else dt.date.today().year
        return 2000 + yy if 2000 + yy <= ref + 1 else 1900 + yy
    if len(raw) == 4:
        return int(raw) if 1800 <= int(raw) <= 2099 else None
    cands = {int(raw[:k] + raw[k + 1:]) for k in range(len(raw) - 1) if raw[k] == raw[k + 1]}
    cands = {c for c in cands if 1900 <= c <= 2099}
    if doc:
        ref = rel.split_iso(doc)[0]
        cands = {c for c in cands if c <= ref} or cands
        return min(cands, key=lambda c: abs(ref - c)) if cands else None
    return max(cands) if cands else None


def _number(raw: str | None, pat: Patterns) -> int | None:
    if raw is None:
        return None
    return int(raw) if raw.isdigit() else pat.lex.number_of.get(_norm(raw.lower()))


def _atom(kind: str, mt: re.Match, text: str, pat: Patterns, doc: str | None, lang: str | None) -> _Atom | None:
    g = mt.groupdict()
    lex = pat.lex
    a = _Atom(mt.start(), mt.end(), kind)
    if kind in ("year", "yrange", "drange", "ago"):
        before = pat.ago_before if kind == "ago" else pat.from_before if kind == "drange" else pat.year_prep_before
        bm = before.search(text, max(0, a.start - 40), a.start)
        if bm is None and kind == "ago":
            return None
        if bm is not None:
            g.update({k: v for k, v in bm.groupdict().items() if v is not None})
            if kind != "drange":
                a.start = bm.start()
    p = (g.get("p") or "").lower()
    a.lead = " ".join(p.split())
    a.opens = a.lead in lex.range_from and a.lead not in _BETWEEN
    if g.get("m") and not g["m"].isdigit():
        word = text[mt.start("m"):mt.end("m")]             # original case: "May" vs "may"
        a.m = lex.month_of.get(_norm(word.lower().rstrip(".")))
        if word == "may" and not g.get("y") and not text[max(0, a.start - 3):a.start].lower().startswith("on"):
            return None        # lower-case "may" without a year is the verb
    if "y" in g and g["y"] is not None and kind != "num":
        a.y = _year(g["y"], doc)
        if a.y is None:
            return None
    if g.get("yrel"):
        act, a.y_rel = _relative_action(g["yrel"])
    if kind == "num":
        return _numeric(a, g, text, doc, lang)
    if kind in ("date", "drange"):
        a.d = int(g["d"]) if g["d"].isdigit() else None
        if kind == "drange":
            a.d2 = int(g["d2"])
            if not (1 <= a.d <= 31 and 1 <= a.d2 <= 31) or a.d == a.d2:
                return None
            conn = (g.get("c") or "").lower()
            if conn in ("и", "і", "й", "та", "and") and p not in _BETWEEN and a.d2 - a.d != 1:
                return None      # "3 и 17 февраля": two dates, not a span
        if g.get("m") and g["m"].isdigit():
            a.m = int(g["m"])
        return a if a.m and 1 <= (a.d or 0) <= 31 else None
    if kind == "month":
        return a if a.m else None
    if kind in ("year", "yrange"):
        if kind == "yrange":
            a.y2 = _year(g["y2"], doc)
            if a.y2 is None or not 0 < a.y2 - a.y <= 100:
                return None
        if g.get("yw"):
            return a
        if not p:
            return None
        if kind == "year" and _LOWER_WORD.match(text, a.end):
            return None      # "в 2000 человек": a count, not a year
        return a
    if kind == "weekday":
        a.wd = lex.weekday_of.get(_norm(g["wd"].lower()))
        a.action = ("strict", 1) if any(w in p for w in ("прошл", "минув", "минул", "last", "past")) else None
        return a if a.wd is not None else None
    if kind == "rel":
        a.action = _relative_action(g["rel"])
        return a if a.action else None
    if kind in ("ago", "dur"):
        n = _number(g.get("n"), pat)
        unit_word = _norm((g.get("u") or g["u2"]).lower())
        if n is None:
            if g.get("n") or unit_word in lex.plural_units:
                return None
            n = 1
        unit = lex.unit_of.get(unit_word) or _compound_unit(unit_word)
        if unit is None or n <= 0:
            return None
        a.action = (unit, n)
        return a
    return None


def _compound_unit(stem: str) -> str | None:
    return {"месячн": "month", "місячн": "month", "дневн": "day", "денн": "day",
            "недельн": "week", "тижнев": "week"}.get(stem) or (stem if stem in rel.UNITS else None)


@lru_cache(maxsize=4096)
def _relative_action(words: str) -> tuple[str, int] | None:
    phrase = _norm(" ".join(words.lower().split()))
    for ph, act, n in patterns().lex.relative:
        if ph == phrase or re.fullmatch(_phrase_rx(ph), phrase):
            return act, n
    return None


def _phrase_rx(phrase: str) -> str:
    out = re.escape(phrase).replace(r"\ ", r"\s+").replace(r"\*", r"\w*")
    return re.sub(r"['’ʼ`]", "['’ʼ`]", out)


def _numeric(a: _Atom, g: dict, text: str, doc: str | None, lang: str | None) -> _Atom | None:
    sep, x, y = g["sep"], int(g["a"]), int(g["b"])
    if sep == "-" and len(g["y"]) == 2:
        return None
    a.y = _year(g["y"], doc)
    if a.y is None:
        return None
    a.kind = "date"
    day, month = x, y
    if sep == "/":
        english = (lang or ("ru" if _CYRILLIC.search(text, max(0, a.start - 300), a.start + 300) else "en")) == "en"
        if x <= 12 < y:
            day, month = y, x                       # "12/16/2011": month first, no doubt
        elif english and x <= 12 and y <= 12 and x != y:
            a.kind = "year"                         # "03/04/2011" in English: only the year is sure
            return a
    if not (1 <= month <= 12 and valid_day(a.y, month, day)):
        return None
    a.m, a.d = month, day
    return a


def _fuse_weekdays(text: str, atoms: list[_Atom], pat: Patterns) -> list[_Atom]:
    """'в понедельник 18 февраля', '18 февраля (понедельник)': the explicit date wins."""
    out: list[_Atom] = []
    for a in atoms:
        prev = out[-1] if out else None
        if prev is not None and pat.fuse_gap.fullmatch(text, prev.end, a.start):
            if prev.kind == "weekday" and a.kind == "date":
                out[-1] = replace(a, start=prev.start, opens=a.opens or prev.opens)
                continue
            if prev.kind == "date" and a.kind == "weekday" and a.start - prev.end <= 3:
                end = a.end + (1 if text.startswith(")", a.end) else 0)
                out[-1] = replace(prev, end=end)
                continue
        out.append(a)
    return out


# ---------------------------------------------------------------- resolving

def _anchor(doc: str | None, before: list[DateMention]) -> str | None:
    """For a document dated only by month or year: the last explicit day the text gave inside
    that period, which weekdays and weekends then resolve near ("В понедельник 18 февраля ...
    во вторник"). None for a document with a day (weekdays go by the document's day)."""
    if doc is None or len(doc) == 10:
        return None
    for m in before[::-1][:8]:
        if m.kind == "absolute" and len(m.start) == 10 and date_contains(doc, m.start):
            return m.start
    return None

def _ymd(a: _Atom, doc: str | None) -> tuple[str | None, bool]:
    """The ISO value of a date or month atom and whether the document's date was needed."""
    y, relative = a.y, False
    if y is None and a.y_rel is not None:
        if doc is None:
            return None, True
        y, relative = rel.split_iso(doc)[0] + a.y_rel, True
    if y is None:
        if doc is None:
            return None, True
        y, relative = rel.infer_year(doc, a.m, a.d), True
    if a.d is not None and not valid_day(y, a.m, a.d):
        return None, relative
    return make_iso(y, a.m, a.d), relative


def _resolve(a: _Atom, doc: str | None, anchor: str | None = None) -> tuple[str | None, str | None, bool]:
    """(start, end, relative) of one atom; ``anchor``: see ``_anchor``."""
    if anchor and a.kind == "weekday":
        return rel.nearest_weekday(anchor, a.wd), None, True
    if anchor and a.kind == "rel" and a.action[0] == "weekend":
        sat = rel.nearest_weekday(anchor, 5)
        return sat, rel.shift_days(sat, 1), True
    if a.kind in ("date", "month"):
        start, relative = _ymd(a, doc)
        return start, None, relative
    if a.kind == "year":
        return make_iso(a.y), None, False
    if a.kind == "yrange":
        return make_iso(a.y), make_iso(a.y2), False
    if a.kind == "drange":
        end, relative = _ymd(replace(a, d=a.d2), doc)
        if end is None:
            return None, None, relative
        y, m, _ = rel.split_iso(end)
        if a.d > a.d2:                              # "с 30 по 2 марта"
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return (make_iso(y, m, a.d) if valid_day(y, m, a.d) else None), end, relative
    if doc is None:
        return None, None, True
    if a.kind == "weekday":
        return resolve_weekday(doc, a.wd, strictly_before=a.action is not None), None, True
    act, n = a.action
    if a.kind == "ago":
        act, n = {"day": ("days", -n), "week": ("days", -7 * n), "month": ("month", -n), "year": ("year", -n)}[act]
    if act == "days":
        return rel.shift_days(doc, n), None, True
    if act == "weekend":
        start, end = rel.weekend_range(doc)
        return start, end, True
    if act == "week":
        start, end = rel.week_range(doc, n)
        return start, end, True
    if act == "month":
        return rel.shift_months(doc, n), None, True
    return rel.shift_years(doc, n), None, True


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _mention(text: str, a: _Atom, doc: str | None, anchor: str | None) -> DateMention | None:
    start, end, relative = _resolve(a, doc, anchor)
    if start is None:
        return None
    if a.kind in ("drange", "yrange") or a.opens:
        kind = "range"
    elif a.kind in ("weekday", "rel", "ago"):
        kind = "relative"
    else:
        kind = "absolute"
    return DateMention(_span(text, a.start, a.end), start, end, relative, kind)


def _merge(text: str, a: _Atom, b: _Atom, doc: str | None, anchor: str | None, pat: Patterns) -> DateMention | None:
    """'с 26 мая по 19 декабря', 'from 2009 to 2011', 'в понедельник и во вторник' as one range."""
    conn = text[a.end:b.start].strip().lower()
    if not conn and b.lead in pat.lex.range_to:
        conn = b.lead                               # "с 2009 | по 2011 год": the connector opens b
    elif pat.range_gap.fullmatch(text, a.end, b.start) is None:
        return None
    dashed = conn in ("-", "–", "—", "‒", "−")
    if a.kind == "weekday" and b.kind == "weekday":
        if not (a.opens or conn in ("и", "і", "й", "та", "and") or dashed):
            return None
        if doc is None:
            return None
        end = rel.nearest_weekday(anchor, b.wd) if anchor else resolve_weekday(doc, b.wd)
        start = rel.weekday_before(end, a.wd) if len(end) == 10 else end
        return DateMention(_span(text, a.start, b.end), start, end, True, "range")
    simple = ("date", "month", "year", "drange")
    between = a.lead in _BETWEEN or text[max(0, a.start - 10):a.start].lower().rstrip().endswith(_BETWEEN)
    if a.kind not in simple or b.kind not in simple or not (a.opens or dashed or between):
        return None
    if conn in ("и", "і", "й", "та", "and") and not between:
        return None
    if a.kind in ("date", "month") and a.y is None and a.y_rel is None and b.kind in ("date", "month", "drange"):
        if b.y is not None or b.y_rel is not None:
            later = (a.m, a.d or 0) > (b.m, b.d or 0)
            a = replace(a, y=(b.y - later) if b.y is not None else None,
                        y_rel=(b.y_rel - later) if b.y is None else None)
        elif doc is not None:
            by, _ = _ymd(b, doc)
            if by is not None:
                a = replace(a, y=rel.split_iso(by)[0] - ((a.m, a.d or 0) > (b.m, b.d or 0)))
    s1, e1, r1 = _resolve(a, doc, anchor)
    s2, e2, r2 = _resolve(b, doc, anchor)
    if s1 is None or s2 is None:
        return None
    end = e2 or s2
    if end[:len(s1)] < s1[:len(end)]:
        return None
    return DateMention(_span(text, a.start, b.end), s1, end, r1 or r2, "range")


def _duration(text: str, a: _Atom, found: list[DateMention], pat: Patterns) -> DateMention | None:
    """'в течение 8 месяцев ... 16 декабря 2011': start = the year the span began; end = the anchor."""
    lo = max(0, a.start - 400)
    cut = [mt.end() for mt in pat.sentence_end.finditer(text, lo, a.start)]
    s_from = cut[-1] if cut else lo
    nxt = pat.sentence_end.search(text, a.end, a.end + 400)
    s_to = nxt.start() + 1 if nxt else min(len(text), a.end + 400)
    anchors = [m for m in found if s_from <= m.span.start and m.span.end <= s_to
               and m.kind != "duration_anchor" and not (m.kind == "range" and m.end is None)]
    if not anchors:
        return None
    after = [m for m in anchors if m.span.start >= a.end]
    anchor = after[0] if after else anchors[-1]
    end = anchor.end or anchor.start
    unit, n = a.action
    start = rel.duration_start_year(end, n, unit)
    if start is None:
        return None
    return DateMention(_span(text, a.start, a.end), start, end, anchor.relative, "duration_anchor")


# ---------------------------------------------------------------- document dates

_ISO_DOC = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?\s*")


def parse_doc_date(value) -> str | None:
    """A front-matter date as ISO at its precision: '2013-12-18', '2010-11', '2014', a date or
    datetime, '18.12.2013', 'December 18, 2013', '18 декабря 2013'. None when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1800 <= value <= 2099:
        return str(value)
    if not isinstance(value, str):
        return None
    mt = _ISO_DOC.fullmatch(value)
    if mt:
        y, m, d = (int(x) if x else None for x in mt.groups())
        if m is not None and not 1 <= m <= 12 or d is not None and not valid_day(y, m, d):
            return None
        return make_iso(y, m, d)
    found = [m for m in find_dates(value, doc_date=None) if not m.relative and m.end is None]
    if len(found) == 1 and len(found[0].span.text) >= len(value.strip()) * 0.5:
        return found[0].start
    return _dateparser(value)


def _dateparser(value: str) -> str | None:
    try:
        from dateparser.date import DateDataParser
    except ImportError:                                     # pragma: no cover
        return None
    data = DateDataParser(settings={"PREFER_DATES_FROM": "past"}).get_date_data(value)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    precision = data.period or "day"
    if precision == "year":
        return make_iso(d.year)
    if precision == "month":
        return make_iso(d.year, d.month)
    return d.isoformat() if precision in ("day", "time") else None
