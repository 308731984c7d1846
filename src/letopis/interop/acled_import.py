"""Import an ACLED CSV: each in-scope row becomes a document (format ``acled``) with its mentions.

The document is named ``<file name>#<event_id_cnty>``; its text renders the row's fields as
"Label: value" lines, the notes last, and every mention's evidence, date, place, actors and
fatality figure point into it. Which mentions a row gives is the table in
``data/acled_import.yaml`` (a "Protest with intervention" is a protest and its dispersal);
rows of sub-event types outside letopis's scope (battles, shelling, ...) are skipped and
counted. See docs/INTEROP.md.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from ..model import Actor, DateValue, Figure, Mention, Place, Span
from ..store import Store
from .places import place_info
from .rows import RowDocument, TextBuilder, finish, read_csv, row_sha, store_row
from .stats import ImportStats
from .vocab import acled_vocabulary, countries, import_tables

EXTRACTOR = "import.acled.v1"
REQUIRED = ("event_id_cnty", "event_date", "sub_event_type", "country")
GATHERINGS = ("protest", "strike", "riot")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d %b %Y", "%d-%b-%Y", "%Y/%m/%d")


def parse_date(value: str) -> str | None:
    v = (value or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(v, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _float(v: str) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None


def _int(v: str) -> int | None:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


def render(row: dict, file_name: str) -> tuple[str, dict]:
    """The row as text, and the span of each field value in it."""
    b, spans = TextBuilder(), {}
    b.write(f"ACLED event {row.get('event_id_cnty', '')} ({file_name})\n")
    for key, label in (("event_date", "Date"), ("event_type", "Event type"), ("sub_event_type", "Sub-event type"),
                       ("disorder_type", "Disorder type"), ("actor1", "Actor 1"), ("assoc_actor_1", "Associated with actor 1"),
                       ("actor2", "Actor 2"), ("assoc_actor_2", "Associated with actor 2"),
                       ("location", "Location"), ("admin1", "Admin 1"), ("country", "Country"),
                       ("fatalities", "Fatalities"), ("tags", "Tags"), ("source", "Source"), ("notes", "Notes")):
        sp = b.line(label, row.get(key))
        if sp:
            spans[key] = sp
    return b.text, spans


def _actors(row: dict, spans: dict, mtype: str) -> tuple[Actor, ...]:
    voc, tables = acled_vocabulary(), import_tables()["acled"]
    perp, crowd, groups = set(tables["perpetrator_inters"]), set(tables["crowd_inters"]), set(tables["group_inters"])
    out = []
    for n in ("1", "2"):
        inter = voc.inter_code(row.get(f"inter{n}", ""))
        if inter in perp:
            role = "perpetrator" if mtype not in GATHERINGS else None
        elif inter in crowd:
            role = "participant" if mtype in GATHERINGS else "target"
        else:
            role = None
        if role is None:
            continue
        kind = "group" if inter in groups else "organization"
        for key in (f"actor{n}", f"assoc_actor_{n}"):
            sp = spans.get(key)
            if not sp:
                continue
            pos = sp.start
            for name in sp.text.split(";"):
                lead = len(name) - len(name.lstrip())
                name_s = name.strip()
                if name_s:
                    s = pos + lead
                    out.append(Actor(name_s, role, kind if key.startswith("actor") else "group",
                                     Span(s, s + len(name_s), name_s)))
                pos += len(name) + 1
    return tuple(out)


def row_place(row: dict, spans: dict) -> Place | None:
    cc = countries().code(row.get("iso", "")) or countries().code(row.get("country", ""))
    loc = row.get("location") or ""
    lat, lon = _float(row.get("latitude", "")), _float(row.get("longitude", ""))
    kinds = import_tables()["acled"]["place_kind"]
    kind = kinds.get(_int(row.get("geo_precision", "")) or 1, "city")
    if not loc:
        return Place(name=row.get("country", ""), country=cc, kind="country", span=spans.get("country")) if cc else None
    info = place_info(loc, loc, cc, lat, lon)
    return Place(name=loc, name_en=loc, country=cc, lat=lat, lon=lon, kind=kind,
                 geonameid=info.geonameid if info.kind == kind else None, span=spans.get("location"))


def row_mentions(row: dict, spans: dict) -> tuple[Mention, ...] | str:
    """The mentions of one ACLED row, or why it gives none."""
    voc, tables = acled_vocabulary(), import_tables()["acled"]
    sub = voc.sub_event_aliases.get(row.get("sub_event_type", ""), row.get("sub_event_type", ""))
    plan = tables["sub_event_types"].get(sub)
    if plan is None:
        return "out of scope" if voc.event_type_of(sub) else "unknown sub-event type"
    iso = parse_date(row.get("event_date", ""))
    if iso is None:
        return "bad date"
    month = _int(row.get("time_precision", "")) in tables["month_precision"]
    date = DateValue(iso[:7] if month else iso, None, spans.get("event_date"))
    place = row_place(row, spans)
    fat = _int(row.get("fatalities", "")) or 0
    carrier = next((i for i, m in enumerate(plan) if m.get("fatalities")), len(plan) - 1)
    evidence = spans.get("notes") or spans.get("sub_event_type")
    out = []
    for i, m in enumerate(plan):
        subtype = m.get("with_fatalities") if fat > 0 and m.get("with_fatalities") else m.get("subtype")
        figs = (Figure("killed", fat, fat, spans["fatalities"]),) if fat > 0 and i == carrier else ()
        if m["type"] in GATHERINGS and spans.get("tags"):
            figs += _crowd(spans["tags"])
        out.append(Mention(m["type"], subtype, (evidence,), date, place, figs, _actors(row, spans, m["type"]),
                           (), EXTRACTOR, 1.0))
    return tuple(out)


_CROWD = re.compile(r"crowd size=([^;]+)", re.IGNORECASE)


def _crowd(tags: Span) -> tuple[Figure, ...]:
    from ..extract.numbers import find_quantities, tokenize
    m = _CROWD.search(tags.text)
    if not m:
        return ()
    for q in find_quantities(tokenize(tags.text, m.start(1), m.end(1))):
        s, e = tags.start + q.start, tags.start + q.end
        return (Figure("participants", q.low, q.high, Span(s, e, tags.text[q.start:q.end])),)
    return ()


def read_rows(path: str | Path):
    """(row id, document name, text, spans, mentions or reason) for each row of an ACLED CSV."""
    name = Path(path).name
    for row in read_csv(path, REQUIRED):
        text, spans = render(row, name)
        yield row, f"{name}#{row['event_id_cnty']}", text, spans, row_mentions(row, spans)


def import_acled(store: Store, path: str | Path, *, access: str = "public", link: bool = True) -> ImportStats:
    """Import an ACLED CSV into ``store``; idempotent. Links the store afterwards unless ``link=False``."""
    stats, abs_path = ImportStats(), str(Path(path).resolve())
    for row, name, text, spans, mentions in read_rows(path):
        stats.rows += 1
        if isinstance(mentions, str):
            stats.skip(mentions)
            continue
        rd = RowDocument(f"{abs_path}#{row['event_id_cnty']}", name, "acled", row_sha("acled", row), text,
                         {"dataset": "acled", **row}, date=mentions[0].date.start if mentions[0].date else None,
                         title=f"ACLED {row['event_id_cnty']}")
        store_row(store, rd, mentions, EXTRACTOR, stats, access)
    return finish(store, stats) if link else stats
