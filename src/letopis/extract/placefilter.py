"""Which gazetteer hits in a Cyrillic text really name a place, `places.confirm.v1`.

The gazetteer knows hundreds of thousands of names, and many are also first names
("Владимир", "Мари"), words ("Вон", "Саме") or parts of longer names ("Красной
площади" is not the village Красное). In Russian and Ukrainian texts a city-level
hit counts only when natasha's NER marks it as a location, with nothing but generic
place words ("город", "области") beside it in that location, or when a place cue
precedes it ("в городе", "г."). Countries and regions pass as they are; Ukrainian and
English texts rely on the gazetteer's own checks (natasha's NER is trained on Russian
and takes Ukrainian town names for people).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from ..model import Place, Span
from .actors import Entity, russian_ner
from .text import Sentence

CYRILLIC_LANGS = ("ru", "uk", "be", "kk")
MAX_NER_CHARS = 200_000
GENERIC = re.compile(
    r"^(?:г|гор|город\w*|міст\w*|м|с|село|села|селе|сел[іо]|пос|посёлк\w*|поселк\w*|селищ\w*|"
    r"област\w*|обл|район\w*|регион\w*|краю|край|республик\w*|столиц\w*|деревн\w*|станиц\w*|"
    r"city|town|village|region|province|oblast)$", re.I)
CUE = re.compile(r"(?:\b(?:в|во|у|из|под|над|до|около|город[аеу]?|городе|місті|місто|г\.|м\.|с\.|села|селе|"
                 r"посёлке|поселке|селищі|столиц[аеіуы])\s+)$", re.I)


class NerCache:
    """natasha NER per sentence, computed at most once, within a character budget."""

    def __init__(self, text: str, sents: list[Sentence], lang: str):
        self.text, self.sents = text, sents
        # natasha's NER is trained on Russian news: on Ukrainian it takes towns for people
        self.enabled = lang in ("ru", "be", "kk")
        self.lang = lang
        self.budget = MAX_NER_CHARS
        self._cache: dict[int, list[Entity]] = {}

    def prefetch(self, indices) -> None:
        """Tag many sentences in one NER call (much faster than one call each)."""
        if not self.enabled:
            return
        todo = sorted(i for i in set(indices) if i not in self._cache)
        if not todo:
            return
        parts, offsets, pos = [], [], 0
        for i in todo:
            s = self.sents[i]
            if self.budget <= 0:
                break
            self.budget -= s.length
            offsets.append((i, pos))
            parts.append(self.text[s.start:s.end])
            pos += s.length + 2
        joined = "\n\n".join(parts)
        ents = russian_ner().entities(joined)
        for i, base in offsets:
            end = base + self.sents[i].length
            self._cache[i] = [Entity(e.start - base, e.end - base, e.type, e.normal)
                              for e in ents if e.start >= base and e.end <= end]

    def entities(self, i: int) -> list[Entity]:
        """Entities of sentence i, with offsets relative to the sentence start."""
        if not self.enabled:
            return []
        if i not in self._cache:
            s = self.sents[i]
            if self.budget <= 0:
                return []
            self.budget -= s.length
            self._cache[i] = russian_ner().entities(self.text[s.start:s.end])
        return self._cache[i]


def _sentence_of(sents: list[Sentence], pos: int) -> int | None:
    lo, hi = 0, len(sents) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s = sents[mid]
        if pos < s.start:
            hi = mid - 1
        elif pos >= s.end:
            lo = mid + 1
        else:
            return mid
    return None


_ADJ_END = re.compile(r"(?:ого|ому|ий|ій|ої|их|ими|ый|ой|ая|ое|ые|ую|ей|ем|ім)$", re.I)


def _quoted_or_adjective(text: str, sp: Span) -> bool:
    """«Вільне слово» is a newspaper and "Центрального ринку" a market, not towns."""
    before, after = text[max(0, sp.start - 1):sp.start], text[sp.end:sp.end + 1]
    if before in "«\"“„'" and before:
        return True
    if " " not in sp.text and _ADJ_END.search(sp.text):
        nxt = re.match(r"\s+([а-яёіїєґ]\w*)", text[sp.end:sp.end + 30])
        if nxt:
            return True
    return False


BIG_TOWN = 100_000
_NAME_NEXT = re.compile(r"\s+[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ]+")
_NAME_BEFORE = re.compile(r"[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ]+\s+$")


@cache
def _populations() -> dict[int, int]:
    from .gazetteer import Gazetteer
    return {row[1]: row[7] for row in Gazetteer.load().rows if row[1]}


@cache
def _aliases() -> dict[int, list[str]]:
    from .gazetteer import Gazetteer
    g = Gazetteer.load()
    return {row[1]: g.aliases[i] for i, row in enumerate(g.rows) if row[1]}


FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "ADVB", "INTJ", "PRED"})


def _function_word(surface: str, lang: str) -> bool:
    """"Во", "Вон", "Саме": a preposition, particle or pronoun is no place, whatever the gazetteer says."""
    if " " in surface.strip() or len(surface) > 6:
        return False
    from .morph import analyzer
    parses = analyzer("uk" if lang == "uk" else "ru").parse(surface.lower())
    return bool(parses) and parses[0].tag.POS in FUNCTION_POS


def _nominative_place(name: str) -> bool:
    from .morph import analyzer
    return any({"Geox", "nomn"} <= x.tag.grammemes for x in analyzer("ru").parse(name.lower()))


def tidy_name(p: Place) -> Place:
    """The gazetteer names a place by the form it matched ("Гомел" for "в Гомеле"); when its
    own name for the place only completes that form ("Гомель"), show the full name."""
    if not p.geonameid or not p.name or _nominative_place(p.name):
        return p
    stem = p.name.lower()
    longer = [a for a in _aliases().get(p.geonameid, ()) if a != p.name and a.lower().startswith(stem)
              and 0 < len(a) - len(stem) <= 2 and _nominative_place(a)]
    if longer:
        from dataclasses import replace
        return replace(p, name=min(longer, key=len))
    return p


def _plain_big_town(text: str, sp: Span, p: Place) -> bool:
    """A town of 100,000 or more, not written next to another capitalised word (as "Владимир
    Макеенко" or "Марии Владимир" would be), needs no NER to be taken for a town."""
    if p.kind != "city" or not p.geonameid or _populations().get(p.geonameid, 0) < BIG_TOWN:
        return False
    if _NAME_NEXT.match(text, sp.end) or _NAME_BEFORE.search(text[max(0, sp.start - 30):sp.start]):
        return False
    return True


def _fold(s: str) -> str:
    return s.lower().replace("ё", "е").replace("ї", "и").replace("і", "и").replace("є", "е").replace("ґ", "г")


def _looks_like(surface: str, p: Place) -> bool:
    """The words must look like the place's name: a shared beginning ("Дніпрі" ~ "Дніпро"),
    or the dictionary's normal form of the word is the name ("Києві" → "Київ")."""
    a = _fold(surface.split()[0])
    for name in (p.name, p.name_en or ""):
        b = _fold(name.split()[0]) if name else ""
        if not b:
            continue
        n = min(len(a), len(b))
        k = 0
        while k < n and a[k] == b[k]:
            k += 1
        if k >= max(3, n - 2):
            return True
    from .morph import analyzer
    forms = {_fold(x.normal_form) for x in analyzer("uk").parse(surface.split()[0].lower())}
    return _fold(p.name) in forms


def _could_be_town_uk(surface: str, place: Place | None = None) -> bool:
    """A Ukrainian word the dictionary knows ("Саме", "Вон", "Поліція", "Катерини") names a
    town only when one of its normal forms is that town's name; unknown words may be towns."""
    words = surface.split()
    if len(words) != 1:
        return True
    from .morph import analyzer
    m = analyzer("uk")
    w = words[0].lower()
    if not m.word_is_known(w):
        return True
    names = set()
    if place is not None:
        names = {_fold(place.name)} | {_fold(a) for a in _aliases().get(place.geonameid, ())
                                       if a[:1].isalpha() and not a[:1].isascii() and not _common_noun(a)}
    for p in m.parse(w):
        tag = p.tag
        if tag.grammemes & {"Name", "Surn", "Patr"} or tag.POS != "NOUN":
            continue
        if not names or _fold(p.normal_form) in names:
            return True
    return False


@lru_cache(maxsize=20000)
def _common_noun(alias: str) -> bool:
    """An alternate name that the Russian dictionary knows only as a common noun (the gazetteer
    lists "Полиция" for Police in Poland): it confirms no town."""
    if " " in alias:
        return False
    from .morph import analyzer
    w = alias.lower()
    m = analyzer("ru")          # the Ukrainian dictionary marks no place names (Geox): it cannot tell
    if not m.word_is_known(w):
        return False
    parses = m.parse(w)
    return any(p.tag.POS == "NOUN" for p in parses) and not any("Geox" in p.tag.grammemes for p in parses)


def confirm_places(text: str, sents: list[Sentence], places: list[tuple[Span, Place]],
                   ner: NerCache, also: set[int] = frozenset()) -> list[tuple[Span, Place]]:
    """Keep the hits that name places; ``also``: sentences to tag in the same NER pass."""
    places = [(sp, tidy_name(p)) for sp, p in places
              if not _quoted_or_adjective(text, sp) and not _function_word(sp.text, ner.lang)]
    if ner.lang == "uk":
        return [(sp, p) for sp, p in places
                if p.kind != "city" or (_could_be_town_uk(sp.text, p) and _looks_like(sp.text, p))]
    if not ner.enabled or ner.lang != "ru":
        return places         # natasha's NER is trained on Russian news; on Ukrainian it tags towns as people
    need = {_sentence_of(sents, sp.start) for sp, p in places if p.kind == "city" and not _plain_big_town(text, sp, p)}
    ner.prefetch({i for i in need if i is not None} | set(also))
    out = []
    for sp, p in places:
        if p.kind in ("country", "region"):
            out.append((sp, p))
            continue
        if _plain_big_town(text, sp, p):
            out.append((sp, p))
            continue
        i = _sentence_of(sents, sp.start)
        if i is None:
            continue
        base = sents[i].start
        a, b = sp.start - base, sp.end - base
        ents = ner.entities(i)
        hit = [e for e in ents if e.start < b and e.end > a]
        if any(e.type in ("PER", "ORG") for e in hit):
            continue
        loc = [e for e in hit if e.type == "LOC"]
        if loc:
            e = loc[0]
            rest = (text[base + e.start:sp.start] + " " + text[sp.end:base + e.end]).replace(".", " ")
            if all(GENERIC.match(w) for w in rest.split()):
                out.append((sp, p))
            continue
        if CUE.search(text[max(0, sp.start - 20):sp.start]) and text[sp.start:sp.start + 1].isupper():
            out.append((sp, p))
    return out
