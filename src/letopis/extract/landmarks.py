"""Landmarks (squares, avenues, sites) resolved to their town, `places.landmarks.v1`.

"на Майдане Независимости" is in Kyiv and "на Красной площади" in Moscow, though no
town is named. The table lives in `data/landmarks.yaml`, validated when loaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import yaml

from ..errors import ExtractionError
from ..model import Place, Span


@dataclass(frozen=True, slots=True)
class Landmark:
    regex: re.Pattern
    city: str
    local: str
    country: str


@cache
def load_landmarks() -> tuple[Landmark, ...]:
    with resources.files("letopis.data").joinpath("landmarks.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    out = []
    for i, row in enumerate((data or {}).get("landmarks") or []):
        if not isinstance(row, dict) or set(row) != {"pattern", "city", "local", "country"}:
            raise ExtractionError(f"landmarks #{i + 1}: expected keys pattern, city, local, country")
        try:
            rx = re.compile(r"(?<!\w)(?:" + row["pattern"] + r")(?!\w)", re.I)
        except re.error as e:
            raise ExtractionError(f"landmarks #{i + 1}: bad pattern: {e}") from e
        out.append(Landmark(rx, row["city"], row["local"], row["country"]))
    return tuple(out)


def find_landmarks(text: str, start: int = 0, *, cyrillic: bool = True) -> list[tuple[Span, Place]]:
    """Landmark mentions in text[start:], as the place of their town (named in the text's script)."""
    from .gazetteer import Gazetteer
    g = Gazetteer.load()
    out = []
    for lm in load_landmarks():
        town = None
        for m in lm.regex.finditer(text, start):
            if town is None:
                town = g.lookup(lm.city, lang="en", country=lm.country)
                if town is None:
                    break
                town = replace(town, name=lm.local if cyrillic else (town.name_en or town.name))
            out.append((Span(m.start(), m.end(), m.group(0)), town))
    return out
