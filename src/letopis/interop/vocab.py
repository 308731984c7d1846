"""The ACLED and Mass Mobilization tables (``data/acled_*.yaml``), loaded and checked once.

``acled_vocabulary.yaml``  ACLED's own lists: columns, event/sub-event types, disorder types,
                           inter codes, precision codes, source scales (from its codebook)
``acled_regions.yaml``     ACLED regions by country, ACLED country names
``acled_mapping.yaml``     letopis type/subtype -> ACLED row (export)
``acled_import.yaml``      ACLED and Mass Mobilization rows -> letopis mentions (import)

Every value the mapping writes is checked against ACLED's lists when loaded, so a typo in a
table fails at once with its place named, not in a user's spreadsheet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry
import yaml

from ..errors import UsageError
from ..model import EVENT_TYPES, SUBTYPES

SLOTS = ("protesters", "rioters", "civilians", "state", "perpetrator", "none")


class TableError(UsageError):
    """A data table of letopis is malformed."""


def _load(name: str) -> dict:
    with resources.files("letopis.data").joinpath(name).open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict):
        raise TableError(f"{name}: expected a mapping at the top")
    return data


@dataclass(frozen=True, slots=True)
class AcledVocabulary:
    columns: tuple[str, ...]
    event_types: dict[str, tuple[str, ...]]
    sub_event_aliases: dict[str, str]
    disorder_types: tuple[str, ...]
    disorder_by_event_type: dict[str, str]
    disorder_by_sub_event_type: dict[str, str]
    inter_codes: dict[int, str]
    time_precision: tuple[int, ...]
    geo_precision: tuple[int, ...]
    source_scales: tuple[str, ...]
    civilian_targeting: tuple[str, ...]

    def event_type_of(self, sub_event_type: str) -> str | None:
        for et, subs in self.event_types.items():
            if sub_event_type in subs:
                return et
        return None

    def disorder_type(self, event_type: str, sub_event_type: str) -> str:
        return self.disorder_by_sub_event_type.get(sub_event_type) or self.disorder_by_event_type[event_type]

    def inter_code(self, value: str) -> int:
        """'6', '6.0' or 'Protesters' -> 6; unknown or empty -> 0."""
        v = (value or "").strip()
        if re.fullmatch(r"\d+(\.0+)?", v):
            return int(float(v)) if int(float(v)) in self.inter_codes else 0
        for code, label in self.inter_codes.items():
            if label and label.lower() == v.lower():
                return code
        return 0


@cache
def acled_vocabulary() -> AcledVocabulary:
    d = _load("acled_vocabulary.yaml")
    ets = {k: tuple(v) for k, v in (d.get("event_types") or {}).items()}
    voc = AcledVocabulary(
        columns=tuple(d["columns"]), event_types=ets,
        sub_event_aliases=dict(d.get("sub_event_aliases") or {}),
        disorder_types=tuple(d["disorder_types"]),
        disorder_by_event_type=dict(d["disorder_by_event_type"]),
        disorder_by_sub_event_type=dict(d.get("disorder_by_sub_event_type") or {}),
        inter_codes={int(k): v for k, v in d["inter_codes"].items()},
        time_precision=tuple(int(k) for k in d["time_precision"]),
        geo_precision=tuple(int(k) for k in d["geo_precision"]),
        source_scales=tuple(d["source_scales"]), civilian_targeting=tuple(d["civilian_targeting"]))
    if set(voc.disorder_by_event_type) != set(ets):
        raise TableError("acled_vocabulary.yaml: disorder_by_event_type must name every event type")
    for where, v in [*voc.disorder_by_event_type.items(), *voc.disorder_by_sub_event_type.items()]:
        if v not in voc.disorder_types:
            raise TableError(f"acled_vocabulary.yaml: {where}: unknown disorder type {v!r}")
    for s in voc.disorder_by_sub_event_type:
        if voc.event_type_of(s) is None:
            raise TableError(f"acled_vocabulary.yaml: unknown sub-event type {s!r}")
    return voc


@dataclass(frozen=True, slots=True)
class AcledRule:
    type: str
    subtype: str | None
    event_type: str
    sub_event_type: str
    with_fatalities: str | None
    actor1: str
    actor2: str
    state_default: str


@dataclass(frozen=True, slots=True)
class AcledMapping:
    rules: dict[tuple[str, str | None], AcledRule]
    state_actors: dict[str, str]
    state_forces: dict[str, re.Pattern]
    unidentified_actor: str
    unidentified_inter: int
    geo_precision: dict[str, int]
    vague: dict[tuple[int, int], int]
    wording: tuple[tuple[int, int, int, re.Pattern], ...]

    def rule(self, type: str, subtype: str | None) -> AcledRule:
        return self.rules.get((type, subtype)) or self.rules[(type, None)]


@cache
def acled_mapping() -> AcledMapping:
    voc, d, name = acled_vocabulary(), _load("acled_mapping.yaml"), "acled_mapping.yaml"
    rules: dict[tuple, AcledRule] = {}
    state_actors = dict(d["state_actors"])
    for i, r in enumerate(d.get("types") or []):
        where = f"{name} types #{i + 1}"
        t, st = r.get("type"), r.get("subtype")
        if t not in EVENT_TYPES or (st is not None and st not in SUBTYPES[t]):
            raise TableError(f"{where}: unknown letopis type/subtype {t!r}/{st!r}")
        et, se, wf = r.get("event_type"), r.get("sub_event_type"), r.get("with_fatalities")
        for s in (se, wf):
            if s is not None and s not in voc.event_types.get(et, ()):
                raise TableError(f"{where}: {s!r} is not an ACLED sub-event type of {et!r}")
        a1, a2, sd = r.get("actor1"), r.get("actor2", "none"), r.get("state_default", "police")
        if a1 not in SLOTS or a2 not in SLOTS or sd not in state_actors:
            raise TableError(f"{where}: actor slots must be in {SLOTS}, state_default in {sorted(state_actors)}")
        rules[(t, st)] = AcledRule(t, st, et, se, wf, a1, a2, sd)
    missing = [t for t in EVENT_TYPES if (t, None) not in rules]
    if missing:
        raise TableError(f"{name}: no default rule for types {missing}")
    forces = {}
    for kind, words in d["state_forces"].items():
        if kind not in state_actors:
            raise TableError(f"{name}: state_forces {kind!r} has no state_actors name")
        forces[kind] = re.compile(r"(?<!\w)(?:" + "|".join(words) + ")", re.IGNORECASE)
    f = d["fatalities"]
    vague = {(int(v["low"]), int(v["high"])): int(v["value"]) for v in f["vague"]}
    wording = tuple((int(w["low"]), int(w["high"]), int(w["value"]),
                     re.compile("|".join(w["patterns"]), re.IGNORECASE)) for w in f.get("wording") or ())
    geo = {k: int(v) for k, v in d["geo_precision"].items()}
    if any(v not in voc.geo_precision for v in geo.values()):
        raise TableError(f"{name}: geo_precision values must be in {voc.geo_precision}")
    inter = int(d["unidentified_inter"])
    if inter not in voc.inter_codes:
        raise TableError(f"{name}: unidentified_inter {inter} is not an ACLED inter code")
    return AcledMapping(rules, state_actors, forces, d["unidentified_actor"], inter, geo, vague, wording)


@dataclass(frozen=True, slots=True)
class Countries:
    region: dict[str, str]          # alpha-2 -> ACLED region
    names: dict[str, str]           # alpha-2 -> ACLED name (overrides)
    numeric: dict[str, int]         # alpha-2 -> numeric where pycountry has none

    def name(self, cc: str) -> str:
        if cc in self.names:
            return self.names[cc]
        c = pycountry.countries.get(alpha_2=cc)
        if c is None:
            return cc
        return getattr(c, "common_name", None) or c.name

    def iso(self, cc: str) -> int | None:
        if cc in self.numeric:
            return self.numeric[cc]
        c = pycountry.countries.get(alpha_2=cc)
        return int(c.numeric) if c else None

    def alpha3(self, cc: str) -> str:
        c = pycountry.countries.get(alpha_2=cc)
        return c.alpha_3 if c else cc

    def code(self, name_or_iso: str) -> str | None:
        """ACLED country name, ISO name, alpha-2/3 or numeric code -> alpha-2."""
        v = (name_or_iso or "").strip()
        if not v:
            return None
        for cc, n in self.names.items():
            if n.lower() == v.lower():
                return cc
        if re.fullmatch(r"\d+(\.0+)?", v):
            num = int(float(v))
            c = pycountry.countries.get(numeric=f"{num:03d}")
            return c.alpha_2 if c else next((k for k, x in self.numeric.items() if x == num and num), None)
        try:
            return pycountry.countries.lookup(v).alpha_2
        except LookupError:
            return None


@cache
def countries() -> Countries:
    d = _load("acled_regions.yaml")
    region = {}
    for r, codes in d["regions"].items():
        for cc in codes:
            if not isinstance(cc, str) or cc in region:
                raise TableError(f"acled_regions.yaml: {cc!r} is not a code or is listed twice")
            region[cc] = r
    return Countries(region, dict(d.get("country_names") or {}),
                     {k: int(v) for k, v in (d.get("iso_numeric") or {}).items()})


@cache
def import_tables() -> dict:
    """The import tables, checked: letopis types, subtypes and demand categories must exist."""
    from ..model import DEMAND_CATEGORIES
    d, voc = _load("acled_import.yaml"), acled_vocabulary()

    def check(m: dict | None, where: str) -> None:
        if m is None:
            return
        t, st = m.get("type"), m.get("subtype")
        if t not in EVENT_TYPES or (st is not None and st not in SUBTYPES[t]) or \
                (m.get("with_fatalities") and m["with_fatalities"] not in SUBTYPES[t]):
            raise TableError(f"acled_import.yaml: {where}: unknown letopis type/subtype {m}")

    for se, ms in d["acled"]["sub_event_types"].items():
        if voc.event_type_of(se) is None:
            raise TableError(f"acled_import.yaml: {se!r} is not an ACLED sub-event type")
        for m in ms:
            check(m, se)
    mm = d["mass_mobilization"]
    for k, v in mm["state_responses"].items():
        check(v, f"state response {k!r}")
    for k, v in mm["demands"].items():
        if v not in DEMAND_CATEGORIES:
            raise TableError(f"acled_import.yaml: demand {k!r}: unknown category {v!r}")
    return d
