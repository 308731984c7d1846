"""Demands of protests and strikes, `demands.rules.v1`.

Two sources: a claim introduced in the sentence ("с требованием повышения зарплаты",
"demanding the president's resignation"), and the numbered items under a heading
such as "НАШИ ТРЕБОВАНИЯ:" in a resolution or petition. Each claim takes one Mass
Mobilization category from the lexicon in `data/demands.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from ..errors import ExtractionError
from ..model import DEMAND_CATEGORIES, Demand, Span

FLAGS = re.IGNORECASE | re.UNICODE
CLAIM_END = re.compile(r"[.;!?\n,(]|\s[—–]\s|\s(?:but|while|when|where|after|which|who|но|однако|который|которые)\s")
ITEM = re.compile(r"^[ \t]*(\d{1,2})[.)][ \t]*(\S[^\n]*)$", re.M)
MAX_CLAIM = 200


@dataclass(frozen=True, slots=True)
class DemandLexicon:
    markers: re.Pattern
    lists: re.Pattern
    categories: dict[str, re.Pattern]


def _rx(pats: list[str], where: str) -> re.Pattern:
    if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
        raise ExtractionError(f"demands lexicon: {where} must be a list of strings")
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in pats) + r")", FLAGS)


def parse_demand_lexicon(data: dict) -> DemandLexicon:
    if not isinstance(data, dict) or set(data) - {"version", "markers", "lists", "categories"}:
        raise ExtractionError("demands lexicon: expected keys version, markers, lists, categories")
    cats = data.get("categories") or {}
    unknown = set(cats) - set(DEMAND_CATEGORIES)
    if unknown:
        raise ExtractionError(f"demands lexicon: unknown categories {sorted(unknown)}")
    return DemandLexicon(_rx(data["markers"], "markers"), _rx(data["lists"], "lists"),
                         {k: _rx(v, k) for k, v in cats.items()})


@cache
def load_demand_lexicon() -> DemandLexicon:
    with resources.files("letopis.data").joinpath("demands.yaml").open(encoding="utf-8") as f:
        return parse_demand_lexicon(yaml.safe_load(f))


def categorise(text: str, lex: DemandLexicon | None = None, default: str = "political_behavior_process") -> str:
    lex = lex or load_demand_lexicon()
    scores = {k: len(rx.findall(text)) for k, rx in lex.categories.items()}
    best = max(scores, key=lambda k: (scores[k], -DEMAND_CATEGORIES.index(k)))
    return best if scores[best] else default


def categorise_all(text: str, lex: DemandLexicon | None = None, limit: int = 2) -> list[str]:
    """Every category the claim speaks to, strongest first (at most ``limit``)."""
    if lex is None or lex is load_demand_lexicon():
        return list(_categorise_cached(text, limit))
    return _categorise(text, lex, limit)


@lru_cache(maxsize=20_000)
def _categorise_cached(text: str, limit: int) -> tuple[str, ...]:
    return tuple(_categorise(text, load_demand_lexicon(), limit))


def _categorise(text: str, lex: DemandLexicon, limit: int) -> list[str]:
    scores = {k: len(rx.findall(text)) for k, rx in lex.categories.items()}
    ranked = sorted((k for k in scores if scores[k]), key=lambda k: (-scores[k], DEMAND_CATEGORIES.index(k)))
    return ranked[:limit]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "-–—•*:,«\"“"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",:;.—–-»\"”"):
        b -= 1
    return a, b


def claims_in(text: str, start: int, end: int, lex: DemandLexicon | None = None) -> list[Demand]:
    """Claims introduced by a marker inside text[start:end] (one sentence)."""
    lex = lex or load_demand_lexicon()
    out: list[Demand] = []
    for m in lex.markers.finditer(text, start, end):
        a = m.end()
        stop = CLAIM_END.search(text, a, end)
        b = min(stop.start() if stop else end, a + MAX_CLAIM)
        a2, b2 = _trim(text, m.start(), b)
        if b - a < 4:
            continue
        claim = text[a2:b2]
        if any(d.span and d.span.start <= a2 < d.span.end for d in out):
            continue
        for cat in categorise_all(claim, lex) or [categorise(claim, lex)]:
            out.append(Demand(claim, cat, Span(a2, b2, claim)))
    return out


def listed_demands(text: str, start: int = 0, lex: DemandLexicon | None = None) -> list[tuple[int, list[Demand]]]:
    """Numbered items under a demands heading: [(heading offset, demands)]."""
    lex = lex or load_demand_lexicon()
    out = []
    for h in re.finditer(r"^[^\n]{0,80}$", text[start:], re.M):
        line = h.group(0).strip().rstrip(":").strip()
        if not line or len(line) > 60 or not lex.lists.fullmatch(line.lower()) and not lex.lists.match(line) or \
                (not h.group(0).rstrip().endswith(":") and not line.isupper()):
            continue
        pos = start + h.end()
        items: list[Demand] = []
        for m in ITEM.finditer(text, pos):
            gap = text[pos:m.start()]
            if items and re.search(r"\n[ \t]*\n[ \t]*\n", gap) and not re.search(r"^[ \t]*[-–•]", gap, re.M):
                break
            if not items and len(gap) > 400:
                break
            a, b = _trim(text, m.start(2), m.end(2))
            claim = text[a:b]
            items.append(Demand(claim, categorise(claim, lex), Span(a, b, claim)))
            pos = m.end()
        if items:
            out.append((start + h.start(), items))
    return out
