"""Language of a document, among the languages letopis reads (setting ``language_candidates``).

The lingua detector is built lazily, once per process and candidate set: no
work at import time, and a process pool worker builds its own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

DEFAULT_CANDIDATES = ("ru", "uk", "en", "kk", "be")
_LETTER = re.compile(r"[^\W\d_]")
SAMPLE_CHARS = 1500     # enough to tell ru/uk/be/kk/en apart; detection time grows with length


SHORT_TEXT = 200         # below this, lingua's high-accuracy mode (more n-gram models) is worth its cost


@lru_cache(maxsize=8)
def _detector(candidates: tuple[str, ...], high_accuracy: bool):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    langs = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in candidates]
    if len(langs) == 1:
        return None
    builder = LanguageDetectorBuilder.from_languages(*langs)
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


def detect_language(text: str, candidates: tuple[str, ...] = DEFAULT_CANDIDATES) -> str | None:
    """ISO 639-1 code of the language ``text`` is written in, or None when it cannot tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for _ in islice(_LETTER.finditer(sample), 3)) < 3:
        return None
    detector = _detector(tuple(candidates), len(sample) < SHORT_TEXT)
    if detector is None:
        return candidates[0] if candidates else None
    lang = detector.detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang is not None else None
