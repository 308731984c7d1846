"""Find place names in a text: ``find_places(text) -> [(Span, Place), ...]``.

Each word of the text is keyed like the gazetteer's names and looked up by its possible stems
(so inflected Russian/Ukrainian forms match); the longest name starting at a word wins. Words
are taken for places only when they look like names: Cyrillic names must be capitalised and
not be ordinary words pymorphy knows; English names in lower case (or at the start of a
sentence) must be countries, regions or sizeable towns and not common words
(``data/gazetteer_stop.txt``). Ambiguous names are resolved with the countries the same text
names unambiguously, then by kind and population.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from letopis.extract.gazetteer import (Gazetteer, GazetteerError, _morph, name_key, stem,
                                       word_key)
from letopis.model import Place, Span

EXTRACTOR = "places.gazetteer.v1"
TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\u02bc][^\W\d_]+)*")
JOIN = re.compile(r"\s{1,2}|\s?[-\u2010\u2011]\s?|\.\s?")
CYR = re.compile(r"[\u0400-\u04ff]")
UK_LETTERS = re.compile("[іїєґ]")
SENTENCE_END = frozenset('.!?…\n"«»“”:;([*#>|-')
COUNTRY_HINT, TOWN_HINT = 2.5, 0.7   # score bonus for a country the text names / of its towns
REGION_HINT = 1.0                   # ... and for towns of a region the text names
LOWER_MIN_POP = 15_000      # a lower-case English word is a town only if the town is this big
SHORT_MIN_POP = 100_000     # a name of 3 letters or less: only big places
NOT_PLACE_AFTER = frozenset("mr mrs ms dr president minister general governor senator king queen "
                            "saint st".split())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The stop list, validated: one word a line."""
    text = resources.files("letopis.data").joinpath("gazetteer_stop.txt").read_text(encoding="utf-8")
    out = set()
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "\t" in line or len(line.split()) != 1:
            raise GazetteerError(f"gazetteer_stop.txt line {n}: expected one word, got {line!r}")
        out.add(name_key(line))
    try:   # English function words ("most", "than", "same") from jusText, a dependency of trafilatura
        import justext
        out |= {name_key(w) for w in justext.get_stoplist("English") if w.isalpha()}
    except (ImportError, ValueError):
        pass
    return frozenset(out)


@lru_cache(maxsize=50_000)
def _common_russian_word(word: str) -> bool:
    """pymorphy knows the word and never as a place name (Geox) — "Мир", "Победа"."""
    if UK_LETTERS.search(word):
        return False
    try:
        m = _morph("ru")
    except Exception:
        return False
    if not m.word_is_known(word.lower()):
        return False
    return not any("Geox" in p.tag.grammemes for p in m.parse(word))


@lru_cache(maxsize=20_000)
def _is_first_name(word: str) -> bool:
    try:
        parses = _morph("ru").parse(word)
    except Exception:
        return False
    return bool(parses) and "Name" in parses[0].tag.grammemes


def _tokens(text: str):
    out = []
    for m in TOKEN.finditer(text):
        s, e = m.start(), m.end()
        w = m.group()
        if len(w) > 2 and w[-2] in "'\u2019" and w[-1] in "sS":   # English possessive
            e -= 2
            w = w[:-2]
        out.append((s, e, w, word_key(w)))
    return out


def find_places(text: str, *, lang: str | None = None,
                gazetteer: Gazetteer | None = None) -> list[tuple[Span, Place]]:
    """Place names in ``text`` with exact spans (``text[span.start:span.end] == span.text``)."""
    g = gazetteer or Gazetteer.load()
    stop = stop_words()
    toks = _tokens(text)
    keys = [t[3] for t in toks]
    joinable = [i + 1 < len(toks) and JOIN.fullmatch(text[toks[i][1]:toks[i + 1][0]]) is not None
                for i in range(len(toks))]
    matches: list[tuple[int, int, list[tuple[int, str]]]] = []   # (first token, n tokens, rows)
    i = 0
    while i < len(toks):
        found = _longest(g, toks, keys, joinable, i, lang)
        if found and _accept(g, text, toks, i, found, stop):
            n, hits = found
            matches.append((i, n, hits))
            i += n
        else:
            i += 1
    if not matches:
        return []
    hints: dict[str, float] = {}
    for _, _, hits in matches:   # countries the text names, and those of unambiguous towns
        rows = {h[0] for h in hits}
        if len(rows) == 1:
            row = g.rows[next(iter(rows))]
            bonus = COUNTRY_HINT if row[2] == "country" else TOWN_HINT
            hints[row[3]] = max(hints.get(row[3], 0.0), bonus)
    areas = {(g.rows[h[0]][3], g.rows[h[0]][4]) for _, _, hits in matches for h in hits[:1]
             if len(hits) == 1 and g.rows[h[0]][2] == "region" and g.rows[h[0]][4]}

    def rank(h):
        row = g.rows[h[0]]
        bonus = REGION_HINT if row[2] == "city" and (row[3], row[4]) in areas else 0.0
        return g.score(h[0], cyrillic=cyr, lang=lang, hints=hints) + bonus

    out = []
    prev_row, prev_end = None, -10
    for i, n, hits in matches:
        start, end = toks[i][0], toks[i + n - 1][1]
        cyr = bool(CYR.search(toks[i][2]))
        best = max(hits, key=rank)
        if prev_row is not None and text[prev_end:start] in (", ", ","):
            # "Atlanta, Georgia": a region right after a town is the town's region
            inside = [h for h in hits if g.rows[h[0]][2] == "region" and g.rows[h[0]][3] == prev_row[3]
                      and g.rows[h[0]][4] and g.rows[h[0]][4] == prev_row[4]]
            best = inside[0] if inside else best
        prev_row, prev_end = g.rows[best[0]], end
        place = g.place(best[0], g.display(best[0], best[1]))
        span = Span(start, end, text[start:end])
        out.append((span, Place(place.name, place.name_en, place.country, place.lat, place.lon,
                                place.kind, place.geonameid, span)))
    return out


def _longest(g: Gazetteer, toks, keys, joinable, i, lang):
    """(n tokens, [(row, key)]) of the longest names starting at token i."""
    w = toks[i][2]
    if CYR.search(w) and not w[0].isupper():
        return None
    best_n, best = 0, []
    own = keys[i]
    for cand in g.word_candidates(own, lang):
        multi = g.multiword(cand) if joinable[i] else None
        for cand2 in (g.word_candidates(keys[i + 1], lang) if multi else ()):
            for key, parts in multi.get(cand2, ()):
                n = len(parts)
                if n < best_n or i + n > len(toks) or (cand == own and parts[0] != own and
                                                       key.partition(" ")[0] != own):
                    continue
                if all(joinable[i + j - 1] and parts[j] in g.word_candidates(keys[i + j], lang)
                       for j in range(2, n)):
                    hits = [(r, key) for r in g.keys[key]]
                    if n > best_n:
                        best_n, best = n, hits
                    else:
                        best.extend(h for h in hits if h not in best)
        if best_n > 1:
            continue
        for key in g.phrases.get(cand, ()):
            if " " in key or (cand == own and key != own):
                continue   # "Марк" is not a form of "Марка": the bare stem is no case form
            best_n = 1
            best.extend(h for h in ((r, key) for r in g.keys[key]) if h not in best)
    if not best_n:
        return None
    exact = [h for h in best if h[1].partition(" ")[0] == own]
    return best_n, exact or best


def _accept(g: Gazetteer, text: str, toks, i, found, stop) -> bool:
    n, hits = found
    s, e, w, key = toks[i]
    rows = [g.rows[r] for r, _ in hits]
    if any(k in g.upper_only for _, k in hits):
        return all(t[2].isupper() for t in toks[i:i + n])
    if n == 1 and key in stop:
        return False
    if i > 0 and toks[i - 1][3] in NOT_PLACE_AFTER and JOIN.fullmatch(text[toks[i - 1][1]:s] or "-"):
        return False
    best_pop = max(r[7] for r in rows)
    has_area = any(r[2] in ("country", "region") for r in rows)
    if CYR.search(w):
        if n == 1 and not has_area and _common_russian_word(w):
            return False
        if i > 0 and toks[i - 1][2][:1].isupper() and text[toks[i - 1][1]:s] == " " \
                and _is_first_name(toks[i - 1][2]):
            return False   # "Сергей Королёв": a person
        return True
    lower = w[0].islower() or _sentence_start(text, s)
    if n == 1 and len(key) <= 3:
        return not lower and (best_pop >= SHORT_MIN_POP or any(r[2] == "country" for r in rows))
    if not lower:
        return True
    if any(r[2] == "country" for r in rows):
        return True
    if n == 1:   # a lower-case word: only a town's own English name, not one of its aliases
        return has_area and len(key) >= 5 or any(
            r[2] == "city" and r[7] >= LOWER_MIN_POP and name_key(r[9]) == key for r in rows)
    return best_pop >= 5000 or has_area


def _sentence_start(text: str, s: int) -> bool:
    j = s - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in SENTENCE_END
