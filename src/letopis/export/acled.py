"""The `acled-csv` export: one ACLED-shaped row per canonical event (docs/INTEROP.md).

Columns, event types, sub-event types, disorder types and inter codes come from ACLED's
codebook lists in ``data/acled_vocabulary.yaml``; our types map to them by
``data/acled_mapping.yaml``. Fatalities follow ACLED's conservative convention: the lowest
figure reported, and vague words as ACLED codes them ("dozens" 12, "hundreds" 100).

An ACLED row needs a country and a day or month: events without a country, without a
date, or dated only by year are skipped and counted in ``stats``.
"""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from typing import IO

from sqlalchemy import func, select

from ..interop.places import info_of
from ..interop.stats import ExportStats
from ..interop.vocab import AcledMapping, acled_mapping, acled_vocabulary, countries
from ..store import Store
from ..store.schema import events
from .events_jsonl import iter_events

GATHERING_ROLES = ("organizer", "participant")


def acled_event_id(event_id: str, cc: str) -> str:
    """evt-<12 hex> -> <ISO alpha-3><decimal of the hex>: stable, unique, and reversible."""
    return countries().alpha3(cc) + str(int(event_id.removeprefix("evt-"), 16))


def acled_fatalities(reports: list[dict], mapping: AcledMapping | None = None) -> int:
    """ACLED's figure from our killed reports: the most conservative one, vague words by ACLED."""
    mapping = mapping or acled_mapping()
    values = []
    for r in reports:
        low, high = r.get("low"), r.get("high")
        if low is None:
            continue                      # "up to N" gives no conservative count
        value = mapping.vague.get((low, high), low) if high is not None else low
        for wlow, whigh, wvalue, pattern in mapping.wording:
            if (low, high) == (wlow, whigh) and pattern.search(r.get("text") or ""):
                value = wvalue
        values.append(value)
    return min(values) if values else 0


def acled_date(start: str | None) -> tuple[str, int] | None:
    """Our ISO date -> (ACLED event_date, time_precision); None when ACLED cannot take it."""
    if not start:
        return None
    parts = start.split("-")
    if len(parts) == 3:
        return start, 1
    if len(parts) == 2:
        return f"{start}-15", 3
    return None


def _names(ev: dict, roles: tuple[str, ...]) -> list[str]:
    return [a["name"] for a in ev["actors"] if a["role"] in roles]


def _state(ev: dict, default: str, mapping: AcledMapping, cname: str) -> tuple[str, int, str] | None:
    """(actor, inter, assoc) of state forces when the perpetrators are state forces (or by default)."""
    perps = _names(ev, ("perpetrator",))
    for kind, pattern in mapping.state_forces.items():
        if any(pattern.search(p) for p in perps):
            return mapping.state_actors[kind].format(country=cname), 1, "; ".join(perps)
    if default:
        return mapping.state_actors[default].format(country=cname), 1, "; ".join(perps)
    return None


def _slot(slot: str, ev: dict, rule, mapping: AcledMapping, cname: str, victims: bool) -> tuple[str, int, str]:
    if slot == "none":
        return "", 0, ""
    if slot in ("protesters", "rioters"):
        roles = GATHERING_ROLES + (("target",) if victims else ())
        label = "Protesters" if slot == "protesters" else "Rioters"
        return f"{label} ({cname})", 6 if slot == "protesters" else 5, "; ".join(_names(ev, roles))
    if slot == "civilians":
        return f"Civilians ({cname})", 7, "; ".join(_names(ev, ("target",)))
    if slot == "state":
        return _state(ev, rule.state_default, mapping, cname)
    state = _state(ev, "", mapping, cname)          # perpetrator: state forces only when named so
    if state:
        return state
    return (mapping.unidentified_actor.format(country=cname), mapping.unidentified_inter,
            "; ".join(_names(ev, ("perpetrator",))))


def _figure_text(kind: str, f: dict) -> str:
    lo, best, hi = f.get("low"), f.get("best"), f.get("high")
    if lo is not None and lo == hi:
        return f"{kind} {lo}"
    rng = f"{lo if lo is not None else '?'}-{hi if hi is not None else '?'}"
    return f"{kind} {rng}" + (f" (best {best})" if best is not None else "")


def _crowd_tag(f: dict | None) -> str:
    if not f:
        return "crowd size=no report"
    lo, hi = f.get("low"), f.get("high")
    if lo is not None and lo == hi:
        return f"crowd size={lo}"
    if lo is not None and hi is not None:
        return f"crowd size=between {lo} and {hi}"
    return f"crowd size=at least {lo}" if lo is not None else f"crowd size=up to {hi}"


def _notes(ev: dict, date: str, where: str) -> str:
    what = ev["type"] + (f" ({ev['subtype']})" if ev["subtype"] else "")
    s = f"On {date}, {what} in {where}."
    others = {t: n for t, n in (ev.get("types") or {}).items() if t != ev["type"]}
    if others:
        s += " Also reported as: " + ", ".join(f"{t} ({n})" for t, n in sorted(others.items())) + "."
    if ev["figures"]:
        s += " Figures: " + "; ".join(_figure_text(k, f) for k, f in ev["figures"].items()) + "."
    if ev["demands"]:
        s += " Demands: " + "; ".join(d["text"] for d in ev["demands"]) + "."
    quotes = [sp["text"] for m in ev["mentions"] for sp in m["evidence"][:1]]
    if quotes:
        s += " Evidence: " + " | ".join(f"\"{' '.join(q.split())}\"" for q in quotes[:3]) + "."
    return s + f" [letopis {ev['id']}]"


def acled_row(ev: dict, timestamp: int) -> dict | str:
    """One ACLED row for a canonical event, or the reason it cannot be one."""
    voc, mapping, cs = acled_vocabulary(), acled_mapping(), countries()
    place = ev["place"] or {}
    cc = place.get("country")
    if not cc:
        return "no country"
    dated = acled_date(ev["date"]["start"])
    if dated is None:
        return "no date" if not ev["date"]["start"] else "year-only date"
    event_date, time_precision = dated
    rule = mapping.rule(ev["type"], ev["subtype"])
    killed = acled_fatalities(ev.get("figure_reports", {}).get("killed", []), mapping)
    sub = rule.with_fatalities if rule.with_fatalities and killed > 0 else rule.sub_event_type
    cname = cs.name(cc)
    victims = "state" in (rule.actor1, rule.actor2) or "perpetrator" in (rule.actor1, rule.actor2)
    a1, i1, as1 = _slot(rule.actor1, ev, rule, mapping, cname, victims)
    a2, i2, as2 = _slot(rule.actor2, ev, rule, mapping, cname, victims)
    interaction = i1 * 10 if not i2 else min(i1, i2) * 10 + max(i1, i2)
    info = info_of(place)
    is_country = info.kind == "country"
    where = place.get("name_en") or place.get("name") or cname
    return {
        "event_id_cnty": acled_event_id(ev["id"], cc), "event_date": event_date,
        "year": int(event_date[:4]), "time_precision": time_precision,
        "disorder_type": voc.disorder_type(rule.event_type, sub), "event_type": rule.event_type,
        "sub_event_type": sub, "actor1": a1, "assoc_actor_1": as1, "inter1": i1,
        "actor2": a2, "assoc_actor_2": as2, "inter2": i2 if a2 else "", "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if rule.event_type == "Violence against civilians" else "",
        "iso": cs.iso(cc), "region": cs.region.get(cc, ""), "country": cname,
        "admin1": info.admin1 or "", "admin2": "", "admin3": "",
        "location": "" if is_country else where,
        "latitude": "" if place.get("lat") is None else round(place["lat"], 5),
        "longitude": "" if place.get("lon") is None else round(place["lon"], 5),
        "geo_precision": mapping.geo_precision.get(info.kind, 3),
        "source": "; ".join(dict.fromkeys(m["doc"] for m in ev["mentions"])), "source_scale": "",
        "notes": _notes(ev, ev["date"]["start"], where), "fatalities": killed,
        "tags": _crowd_tag(ev["figures"].get("participants")) if rule.event_type in ("Protests", "Riots") else "",
        "timestamp": timestamp,
    }


def last_linked(store: Store) -> int:
    """Unix time of the last linking run (every event row carries it); 0 for an empty store."""
    with store.engine.connect() as conn:
        stamp = conn.execute(select(func.max(events.c.updated_at))).scalar()
    if not stamp:
        return 0
    dt = datetime.fromisoformat(stamp)
    return int((dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp())


def write(store: Store, out: IO[str], *, clearance: str = "public", stats: ExportStats | None = None,
          **filters) -> int:
    """Write ACLED CSV (header + one row per exportable event); returns the rows written."""
    stats = stats if stats is not None else ExportStats()
    writer = csv.DictWriter(out, fieldnames=list(acled_vocabulary().columns))
    writer.writeheader()
    stamp = last_linked(store)
    for ev in iter_events(store, clearance=clearance, **filters):
        row = acled_row(ev, stamp)
        if isinstance(row, str):
            stats.skip(row)
            continue
        writer.writerow(row)
        stats.written += 1
    return stats.written
