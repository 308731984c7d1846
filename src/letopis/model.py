"""The records that flow through the pipeline.

files ─▶ ingest ─▶ extract ─▶ link ─▶ store ─▶ serve / export
        Document   Mention     Event

All pipeline records are frozen, slotted dataclasses: picklable, hashable where
their fields are, and free of any database handle, so extraction can run in a
process pool. ``to_dict`` / ``from_dict`` give the JSON shape used in the store
and in the ``events-jsonl`` export (see ``../shared/spec/EVENTS.md``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any

EVENT_TYPES = ("protest", "strike", "riot", "crackdown", "detention",
               "prosecution", "restriction", "attack", "concession")
SUBTYPES = {
    "protest": ("rally", "march", "picket", "sit_in", "occupation", "blockade"),
    "strike": ("labour", "hunger"),
    "riot": (),
    "crackdown": ("dispersal", "beating", "shooting"),
    "detention": ("mass", "individual"),
    "prosecution": ("case", "search", "trial", "sentence"),
    "restriction": ("curfew", "emergency", "ban"),
    "attack": ("assault", "abduction", "killing"),
    "concession": ("resignation", "dismissal", "release", "demands_met"),
}
FIGURE_KINDS = ("killed", "injured", "detained", "participants")
ROLES = ("organizer", "participant", "perpetrator", "target", "other")
DEMAND_CATEGORIES = ("labor_wage_dispute", "land_farm_issue", "police_brutality",
                     "political_behavior_process", "price_increases_tax_policy",
                     "removal_of_politician", "social_restrictions", "other")
ACCESS_LEVELS = ("public", "restricted", "confidential")
ATTRIBUTIONS = ("official", "independent", "unknown")


@dataclass(frozen=True, slots=True)
class Span:
    """A slice of a document's text: ``text == doc_text[start:end]``."""
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict) -> "Span":
        return cls(int(d["start"]), int(d["end"]), d["text"])


@dataclass(frozen=True, slots=True)
class DateValue:
    """ISO 8601 dates at the precision the text supports: '2011-12-16', '2011-12', '2011'."""
    start: str | None
    end: str | None = None
    span: Span | None = None

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict | None) -> "DateValue | None":
        if not d:
            return None
        return cls(d.get("start"), d.get("end"))


@dataclass(frozen=True, slots=True)
class Place:
    name: str                      # as the text gives it (normal form when known)
    name_en: str | None = None     # canonical English name
    country: str | None = None     # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    kind: str = "city"             # city | region | country
    geonameid: int | None = None
    span: Span | None = None

    def to_dict(self, full: bool = True) -> dict:
        d = {"name": self.name, "name_en": self.name_en, "country": self.country,
             "lat": self.lat, "lon": self.lon}
        if full:
            d["kind"] = self.kind
            d["geonameid"] = self.geonameid
        return d

    @classmethod
    def from_dict(cls, d: dict | None) -> "Place | None":
        if not d:
            return None
        return cls(name=d.get("name") or "", name_en=d.get("name_en"), country=d.get("country"),
                   lat=d.get("lat"), lon=d.get("lon"), kind=d.get("kind") or "city",
                   geonameid=d.get("geonameid"))


@dataclass(frozen=True, slots=True)
class Figure:
    """One reported count: ``kind`` in FIGURE_KINDS, a range as the text states it."""
    kind: str
    low: int | None
    high: int | None
    span: Span                      # the wording the figure was read from
    attribution: str = "unknown"    # official | independent | unknown
    source: str | None = None       # who gave it, as written ("по официальным данным")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "low": self.low, "high": self.high,
                "attribution": self.attribution, "source": self.source,
                "evidence": self.span.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> "Figure":
        return cls(d["kind"], d.get("low"), d.get("high"), Span.from_dict(d["evidence"]),
                   d.get("attribution") or "unknown", d.get("source"))


@dataclass(frozen=True, slots=True)
class Actor:
    name: str                       # normal form ("милиция", "Назарбаев")
    role: str                       # one of ROLES
    kind: str = "group"             # person | organization | group
    span: Span | None = None

    def to_dict(self) -> dict:
        d = {"name": self.name, "role": self.role, "kind": self.kind}
        if self.span:
            d["evidence"] = self.span.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Actor":
        ev = d.get("evidence")
        return cls(d["name"], d.get("role") or "other", d.get("kind") or "group",
                   Span.from_dict(ev) if ev else None)


@dataclass(frozen=True, slots=True)
class Demand:
    text: str
    category: str                   # one of DEMAND_CATEGORIES
    span: Span | None = None

    def to_dict(self) -> dict:
        d = {"text": self.text, "category": self.category}
        if self.span:
            d["evidence"] = self.span.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Demand":
        ev = d.get("evidence")
        return cls(d.get("text") or "", d.get("category") or "other",
                   Span.from_dict(ev) if ev else None)


@dataclass(frozen=True, slots=True)
class Mention:
    """One event as one document reports it."""
    type: str
    subtype: str | None
    evidence: tuple[Span, ...]
    date: DateValue | None = None
    place: Place | None = None
    figures: tuple[Figure, ...] = ()
    actors: tuple[Actor, ...] = ()
    demands: tuple[Demand, ...] = ()
    extractor: str = ""
    confidence: float = 1.0

    def figures_dict(self) -> dict:
        """kind -> {low, high}: the first (strongest) report of each kind."""
        out: dict[str, dict] = {}
        for f in self.figures:
            out.setdefault(f.kind, {"low": f.low, "high": f.high})
        return out

    def to_dict(self) -> dict:
        return {
            "type": self.type, "subtype": self.subtype,
            "date": self.date.to_dict() if self.date else None,
            "place": self.place.to_dict() if self.place else None,
            "figures": [f.to_dict() for f in self.figures],
            "actors": [a.to_dict() for a in self.actors],
            "demands": [d.to_dict() for d in self.demands],
            "evidence": [s.to_dict() for s in self.evidence],
            "extractor": self.extractor, "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Mention":
        return cls(
            type=d["type"], subtype=d.get("subtype"),
            evidence=tuple(Span.from_dict(s) for s in d.get("evidence") or ()),
            date=DateValue.from_dict(d.get("date")),
            place=Place.from_dict(d.get("place")),
            figures=tuple(Figure.from_dict(f) for f in d.get("figures") or ()),
            actors=tuple(Actor.from_dict(a) for a in d.get("actors") or ()),
            demands=tuple(Demand.from_dict(x) for x in d.get("demands") or ()),
            extractor=d.get("extractor") or "", confidence=float(d.get("confidence", 1.0)),
        )


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """What extraction needs of one document: no database, picklable."""
    id: int
    name: str                       # file name relative to the ingested folder
    text: str
    language: str | None = None
    date: str | None = None         # publication date, ISO at its precision
    title: str | None = None
    country_hint: str | None = None  # from front matter, e.g. "Colombia" or "KZ"


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    doc_id: int
    mentions: tuple[Mention, ...]
    extractor: str
    error: str | None = None


def as_plain(obj: Any) -> Any:
    """Dataclass → plain JSON-able data (for debugging and tests)."""
    return asdict(obj)
