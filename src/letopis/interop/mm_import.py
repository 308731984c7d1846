"""Import a Mass Mobilization CSV: each protest row becomes a document (format ``mm``) with its mentions.

The document is named ``<file name>#<id>``. A row gives a ``protest`` mention (a ``riot``
when ``protesterviolence`` is 1) with its dates, place, participants and demands, and one
mention per state response (``data/acled_import.yaml``): arrests a detention, beatings,
shootings and dispersal one crackdown (the most severe subtype), accommodation a concession.
Rows with ``protest`` 0 (country-years without protests) are skipped and counted. MM has no
coordinates: the location is looked up in the gazetteer within the row's country; a
national location ("national", "throughout country") is the country itself.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Actor, DateValue, Demand, Figure, Mention, Place, Span
from ..store import Store
from .rows import RowDocument, TextBuilder, finish, read_csv, row_sha, store_row
from .stats import ImportStats
from .vocab import countries, import_tables

EXTRACTOR = "import.mm.v1"
REQUIRED = ("id", "country", "protest", "startday", "startmonth", "startyear")
RESPONSES = tuple(f"stateresponse{i}" for i in range(1, 8))
DEMANDS = tuple(f"protesterdemand{i}" for i in range(1, 5))


def _int(v: str) -> int | None:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


def _date(row: dict, which: str) -> str | None:
    y, m, d = (_int(row.get(f"{which}{k}", "")) for k in ("year", "month", "day"))
    if not y:
        return None
    if not m:
        return f"{y:04d}"
    return f"{y:04d}-{m:02d}" if not d else f"{y:04d}-{m:02d}-{d:02d}"


def render(row: dict, file_name: str) -> tuple[str, dict]:
    b, spans = TextBuilder(), {}
    b.write(f"Mass Mobilization protest {row.get('id', '')} ({file_name})\n")
    fields = [("start", "Start", _date(row, "start")), ("end", "End", _date(row, "end")),
              ("country", "Country", row.get("country")), ("location", "Location", row.get("location")),
              ("participants", "Participants", row.get("participants") or row.get("participants_category")),
              ("protesteridentity", "Protester identity", row.get("protesteridentity")),
              ("protesterviolence", "Protester violence", {"1": "yes", "0": "no"}.get(row.get("protesterviolence", "")))]
    fields += [(k, "Demand", row.get(k)) for k in DEMANDS if row.get(k) not in (None, "", ".")]
    fields += [(k, "State response", row.get(k)) for k in RESPONSES if row.get(k) not in (None, "", ".")]
    fields += [("sources", "Sources", row.get("sources")), ("notes", "Notes", row.get("notes"))]
    for key, label, value in fields:
        sp = b.line(label, value)
        if sp:
            spans[key] = sp
    return b.text, spans


_SCALE = re.compile(r"^(10+)s$")


def participants(span: Span) -> Figure | None:
    """'50-99', '>10000', '1000s', 'hundreds', 'about 300' -> a participants figure."""
    t = span.text.strip().lower().replace(",", "")
    low = high = None
    if m := _SCALE.match(t):                           # "100s", "1000s": hundreds, thousands
        n = int(m.group(1))
        low, high = 2 * n, 10 * n - 1
    elif m := re.fullmatch(r"(>|<|more than |over |less than |under )\s*(\d+)\+?", t):
        n = int(m.group(2))
        low, high = (n + 1, None) if m.group(1).strip() in (">", "more than", "over") else (None, n)
    elif m := re.fullmatch(r"(\d+)\+", t):
        low, high = int(m.group(1)), None
    else:
        from ..extract.numbers import find_quantities, tokenize
        qs = find_quantities(tokenize(span.text))
        if not qs:
            return None
        low, high = qs[0].low, qs[0].high
    if low is None and high is None:
        return None
    return Figure("participants", low, high, span)


def row_place(row: dict, spans: dict) -> Place | None:
    from ..extract.gazetteer import Gazetteer
    cs, tables = countries(), import_tables()["mass_mobilization"]
    cc = cs.code(row.get("country", ""))
    loc = (row.get("location") or "").strip()
    g = Gazetteer.load()
    if not loc or loc.lower().strip(" .") in tables["national_locations"]:
        c = g.country(cc) if cc else None
        if c is None:
            return Place(name=row.get("country", ""), country=cc, kind="country", span=spans.get("country")) if cc else None
        return Place(name=row.get("country", ""), name_en=c.name_en, country=cc, lat=c.lat, lon=c.lon,
                     kind="country", geonameid=c.geonameid, span=spans.get("country"))
    found = g.lookup(loc, lang="en", country=cc) if cc else g.lookup(loc, lang="en")
    if found is not None and (cc is None or found.country == cc):
        return Place(name=loc, name_en=found.name_en, country=found.country, lat=found.lat, lon=found.lon,
                     kind=found.kind, geonameid=found.geonameid, span=spans.get("location"))
    return Place(name=loc, name_en=loc, country=cc, kind="city", span=spans.get("location"))


def row_mentions(row: dict, spans: dict) -> tuple[Mention, ...] | str:
    tables = import_tables()["mass_mobilization"]
    if _int(row.get("protest", "")) != 1:
        return "no protest"
    start, end = _date(row, "start"), _date(row, "end")
    if start is None:
        return "bad date"
    date = DateValue(start, end if end and end != start else None, spans.get("start"))
    place = row_place(row, spans)
    evidence = spans.get("notes") or spans.get("start")
    demands = tuple(Demand(spans[k].text, tables["demands"].get(spans[k].text.lower(), "other"), spans[k])
                    for k in DEMANDS if k in spans)
    crowd = (Actor(spans["protesteridentity"].text, "participant", "group", spans["protesteridentity"]),) \
        if "protesteridentity" in spans else ()
    figs = ()
    if "participants" in spans and (f := participants(spans["participants"])):
        figs = (f,)
    kind = "riot" if _int(row.get("protesterviolence", "")) == 1 else "protest"
    out = [Mention(kind, None, (evidence,), date, place, figs, crowd, demands if kind == "protest" else (),
                   EXTRACTOR, 1.0)]
    responses = [(k, tables["state_responses"].get(spans[k].text.lower())) for k in RESPONSES if k in spans]
    crack = [(k, r) for k, r in responses if r and r["type"] == "crackdown"]
    if crack:
        order = tables["crackdown_severity"]
        k, r = min(crack, key=lambda kr: order.index(kr[1].get("subtype")) if kr[1].get("subtype") in order else len(order))
        out.append(Mention("crackdown", r.get("subtype"), (spans[k],), date, place, (),
                           tuple(Actor(a.name, "target", a.kind, a.span) for a in crowd), (), EXTRACTOR, 1.0))
    seen = {"crackdown"}
    for k, r in responses:
        if r and r["type"] not in seen:
            seen.add(r["type"])
            out.append(Mention(r["type"], r.get("subtype"), (spans[k],), date, place, (), (), (), EXTRACTOR, 1.0))
    return tuple(out)


def read_rows(path: str | Path):
    name = Path(path).name
    for row in read_csv(path, REQUIRED):
        text, spans = render(row, name)
        yield row, f"{name}#{row['id']}", text, spans, row_mentions(row, spans)


def import_mm(store: Store, path: str | Path, *, access: str = "public", link: bool = True) -> ImportStats:
    """Import a Mass Mobilization CSV into ``store``; idempotent. Links afterwards unless ``link=False``."""
    stats, abs_path = ImportStats(), str(Path(path).resolve())
    for row, name, text, spans, mentions in read_rows(path):
        stats.rows += 1
        if isinstance(mentions, str):
            stats.skip(mentions)
            continue
        rd = RowDocument(f"{abs_path}#{row['id']}", name, "mm", row_sha("mm", row), text,
                         {"dataset": "mass_mobilization", **row}, date=mentions[0].date.start,
                         title=f"Mass Mobilization {row['id']}")
        store_row(store, rd, mentions, EXTRACTOR, stats, access)
    return finish(store, stats) if link else stats
