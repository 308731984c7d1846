"""Loading and validating the trigger lexicon (`data/events.yaml`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ..errors import ExtractionError
from ..model import EVENT_TYPES, SUBTYPES

NEEDS = ("none", "civic", "gathering", "labour", "state")
CONTEXTS = ("civic", "gathering", "labour", "state", "crime", "offtopic", "modality", "negation",
            "aggregate", "commemoration", "modality_after", "claim")
FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True, slots=True)
class TriggerRule:
    type: str
    subtype: str | None
    needs: tuple[str, ...]
    strong: bool
    regex: re.Pattern


@dataclass(frozen=True, slots=True)
class Lexicon:
    rules: tuple[TriggerRule, ...]
    contexts: dict[str, re.Pattern]
    version: int


def _compile(patterns: list[str], where: str) -> re.Pattern:
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
        raise ExtractionError(f"{where}: 'patterns' must be a non-empty list of strings")
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", FLAGS)
    except re.error as e:
        raise ExtractionError(f"{where}: bad pattern: {e}") from e


def parse_lexicon(data: dict) -> Lexicon:
    """Validate a lexicon mapping; raise ExtractionError naming the bad entry."""
    if not isinstance(data, dict) or set(data) - {"version", "triggers", "contexts"}:
        raise ExtractionError("events lexicon: expected keys version, triggers, contexts")
    rules = []
    for i, t in enumerate(data.get("triggers") or []):
        where = f"events lexicon trigger #{i + 1}"
        if not isinstance(t, dict) or set(t) - {"type", "subtype", "needs", "strong", "patterns"}:
            raise ExtractionError(f"{where}: unknown keys {sorted(set(t) - {'type', 'subtype', 'needs', 'strong', 'patterns'})}")
        if t.get("type") not in EVENT_TYPES:
            raise ExtractionError(f"{where}: unknown type {t.get('type')!r}")
        if t.get("subtype") is not None and t["subtype"] not in SUBTYPES[t["type"]]:
            raise ExtractionError(f"{where}: unknown subtype {t['subtype']!r} for {t['type']}")
        needs = t.get("needs", "none")
        needs = tuple(needs) if isinstance(needs, list) else (needs,)
        if not needs or any(n not in NEEDS for n in needs):
            raise ExtractionError(f"{where}: 'needs' must be one or a list of {NEEDS}")
        rules.append(TriggerRule(t["type"], t.get("subtype"), needs,
                                 bool(t.get("strong", False)), _compile(t.get("patterns"), where)))
    contexts = {}
    for name, pats in (data.get("contexts") or {}).items():
        if name not in CONTEXTS:
            raise ExtractionError(f"events lexicon: unknown context list {name!r}")
        contexts[name] = _compile(pats, f"events lexicon context {name}")
    missing = set(CONTEXTS) - set(contexts)
    if missing:
        raise ExtractionError(f"events lexicon: missing context lists {sorted(missing)}")
    return Lexicon(tuple(rules), contexts, int(data.get("version", 1)))


@cache
def load_lexicon() -> Lexicon:
    with resources.files("letopis.data").joinpath("events.yaml").open(encoding="utf-8") as f:
        return parse_lexicon(yaml.safe_load(f))
