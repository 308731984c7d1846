"""Text preparation for extraction, `text.segment.v1`.

Offsets never move: the analysed text is a same-length copy of the document's text
(Latin look-alike letters inside Cyrillic words are mapped to Cyrillic, one
character for one), so every span found in it slices the original text exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from razdel import sentenize

MAX_SENTENCE = 600          # characters; longer runs are cut into windows at spaces
MAX_LINE = 20_000           # a line longer than this (text without line breaks) is split before razdel

# Latin letters that look like Cyrillic ones, as they creep into Cyrillic words
_LATIN_TO_CYR = str.maketrans({
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у",
    "i": "і",
})
_MIXED_WORD = re.compile(r"\w*[А-Яа-яЁёІіЇїЄєҐґ]\w*")
_CYR = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
_LAT = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    para: int               # paragraph (line block) number
    text: str               # the analysed (normalised) text of the sentence

    @property
    def length(self) -> int:
        return self.end - self.start


def normalise(text: str) -> str:
    """Same-length copy with Latin look-alikes inside Cyrillic words made Cyrillic."""
    def fix(m: re.Match) -> str:
        w = m.group(0)
        if _LAT.search(w) and len(_CYR.findall(w)) >= 2:
            return w.translate(_LATIN_TO_CYR)
        return w
    out = _MIXED_WORD.sub(fix, text)
    return out if len(out) == len(text) else text


def body_start(text: str) -> int:
    """Offset where the body begins, after YAML front matter if there is one."""
    if not text.startswith("---"):
        return 0
    m = re.compile(r"^---[ \t]*$", re.M).search(text, 3)
    if not m:
        return 0
    return m.end() + 1 if m.end() < len(text) else m.end()


def _windows(start: int, end: int, text: str, size: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    out = []
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        if cut <= start:
            cut = start + size
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


# in all-lower-case text (as some coded datasets ship it) razdel keeps going after a full stop
LOWER_BREAK = re.compile(r"(?<=[.!?])\s+(?=[a-zа-яёіїєґ])")


def _lower_case_split(a: int, b: int, text: str) -> list[tuple[int, int]]:
    chunk = text[a:b]
    letters = sum(ch.isalpha() for ch in chunk)
    if not letters or sum(ch.isupper() for ch in chunk) > letters * 0.01:
        return [(a, b)]
    out, pos = [], a
    for m in LOWER_BREAK.finditer(text, a, b):
        prev = text[max(a, m.start() - 4):m.start()]
        if re.search(r"(?:\b[a-z]|mr|dr|st|no|vs|jr|sr|gen|col|\d)\.$", prev):
            continue              # an abbreviation or a number, not the end of a sentence
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, b))
    return out


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """Lines of text[start:], with hard-wrapped lines of one sentence joined again: a line that
    does not end a sentence, followed by one that starts in lower case, continues it."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        a, b = start + m.start(), start + m.end()
        if not text[a:b].strip():
            continue
        if out:
            pa, pb = out[-1]
            prev = text[pa:pb].rstrip()
            nxt = text[a:b].lstrip()
            if (text.count("\n", pb, a) == 1 and prev and prev[-1] not in ".!?:;»\"”)|" and nxt[:1].islower()
                    and not re.match(r"[-*•#|>\d]", prev.lstrip()[:1] or " ")):
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentences of text[start:], each a line-bounded razdel sentence of at most MAX_SENTENCE chars."""
    out: list[Sentence] = []
    para = 0
    pos = start
    for ls, le in _lines(text, start):
        if ls > pos and text.count("\n", pos, ls) >= 2:
            para += 1
        pos = le
        for ws, we in _windows(ls, le, text, MAX_LINE):
            piece = text[ws:we]
            for s in sentenize(piece):
                a, b = ws + s.start, ws + s.stop
                for la, lb in _lower_case_split(a, b, text):
                    if text[la:lb].strip():
                        for xa, xb in _windows(la, lb, text):
                            out.append(Sentence(xa, xb, para, text[xa:xb]))
    return out


def script_language(text: str) -> str:
    """A cheap guess when no language is given: uk, ru or en."""
    sample = text[:20000]
    cyr = len(_CYR.findall(sample))
    lat = len(_LAT.findall(sample))
    if cyr > lat:
        uk = len(re.findall(r"[іїєґІЇЄҐ]", sample))
        ru = len(re.findall(r"[ыэъёЫЭЪЁ]", sample))
        return "uk" if uk > ru else "ru"
    return "en"
