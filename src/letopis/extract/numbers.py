"""Numbers and quantity phrases in Russian, Ukrainian and English.

``parse_number("двадцати пяти") == 25``; ``find_quantities(tokenize(text))`` reads every
quantity phrase of a text as a range: "не менее 16" → 16..None, "десятки тысяч" →
20000..99999, "от 20 до 30" → 20..30 (table "Figures" of ../shared/spec/EVENTS.md).
The words live in ``data/quantifiers.yaml``, loaded and checked once per process by
``lexicon()``. Nothing here knows what is counted; ``figures.py`` decides that.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import yaml

from letopis.errors import ExtractionError

_TOKEN_RE = re.compile(
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,]\d)"      # 1 500, 15 000 000
    r"|\d+(?:[.,:/]\d+)*"                                   # 16, 1,500, 2,5, 12:30, 16.12.2011
    r"|[^\W\d_]+(?:['’ʼ`\-][^\W\d_]+)*"                    # words, п'ять, twenty-five
    r"|\S")


class Token:
    """One word, number or sign of a text (not a record: built by the hundred thousand)."""
    __slots__ = ("norm", "start", "end", "digit")

    def __init__(self, norm: str, start: int, end: int, digit: bool):
        self.norm = norm      # lower case, ё→е, apostrophes → '
        self.start = start
        self.end = end
        self.digit = digit

    def __repr__(self) -> str:
        return f"Token({self.norm!r}, {self.start}, {self.end})"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity phrase: tokens ``[i, j)``, characters ``[start, end)``."""
    low: int | None
    high: int | None
    i: int
    j: int
    start: int
    end: int
    shape: str          # exact | few | plural | range
    value: int | None   # the plain number when the phrase is one number of digits
    subset: bool = False  # after "including", "в том числе": part of a total


def tokenize(text: str, offset: int = 0, end: int | None = None) -> list[Token]:
    stop = len(text) if end is None else end
    cache = _NORMS
    out = []
    for m in _TOKEN_RE.finditer(text, offset, stop):
        w = m.group()
        norm = cache.get(w)
        if norm is None:
            norm = normalize(w)
            if len(cache) < 500_000:
                cache[w] = norm
        s, e = m.span()
        out.append(Token(norm, s, e, w[0].isdigit()))
    return out


_NORMS: dict[str, str] = {}


def parse_number(text: str) -> int | None:
    """The value of a text that is one number: "1 500", "15 тис.", "шестнадцатью", "a dozen"."""
    toks = [t for t in tokenize(text) if t.norm != "."]
    core = _read_core(toks, 0) if toks else None
    if core is None or core[3] != len(toks) or core[0] != core[1]:
        return None
    return core[0]


def find_quantities(toks: list[Token]) -> list[Quantity]:
    out: list[Quantity] = []
    i, n = 0, len(toks)
    while i < n:
        chain = _digit_chain(toks, i)
        if chain > 2:                                  # 8-495-123-45-67, 1.2.3
            i += 2 * chain - 1
            continue
        q = _read_quantity(toks, i) if _may_start(toks[i]) else None
        if q is None:
            i += 1
            continue
        out.append(q)
        i = max(q.j, i + 1)
    return out


def _digit_chain(toks: list[Token], i: int) -> int:
    """How many digit groups are glued by "-", "." or ")" from token i on."""
    k, n = i, len(toks)
    if not toks[i].digit:
        return 0
    while k + 2 < n and toks[k + 1].start == toks[k].end and toks[k + 1].norm in "-.)(" \
            and toks[k + 2].digit and toks[k + 2].start == toks[k + 1].end:
        k += 2
    return (k - i) // 2 + 1


def _may_start(t: Token) -> bool:
    return t.digit or lookup(t.norm) is not None or t.norm in ("a", "few") \
        or t.norm in lexicon().few_compounds


# --- one quantity: [modifier] core [(dash|or) core] -----------------------------------------

def _read_quantity(toks: list[Token], i: int) -> Quantity | None:
    lex = lexicon()
    core = _read_core(toks, i)
    if core is None:
        return None
    low, high, shape, j, value = core
    start_i = i
    # a range "N–M", "N to M", "от N до M"; an alternative "десятки или сотни"
    opener = _match_back(toks, i, lex.range_openers)
    k = _match(toks, j, lex.range_dashes if opener is None else lex.range_closers[opener])
    if k is None and opener is None:
        k = _match(toks, j + (j < len(toks) and toks[j].norm == ","), lex.alternatives)
    if k is not None and k < len(toks):
        other = _read_core(toks, k)
        if other is not None and (other[1] or 0) >= (high or 0):
            olow, ohigh = other[0], other[1]
            if shape == "exact" and other[2] == "exact" and low and olow and low < 1000 <= olow:
                scale = _scale_of(olow, value)
                low = high = low * scale if scale and low * scale <= olow else low
            low, high, shape, j, value = low, ohigh, "range", other[3], None
            if opener is not None:
                start_i = i - len(opener.split())
    mod, mod_len = (None, 0) if shape == "range" else _modifier_before(toks, i)
    if mod is not None:
        start_i = i - mod_len
        low, high = _apply(mod, low, high, shape)
    subset = _match_back(toks, start_i, lex.subset) is not None
    if low is None and high is None:
        return None
    return Quantity(low, high, start_i, j, toks[start_i].start, toks[j - 1].end, shape,
                    value if mod is None else None, subset)


def _scale_of(olow: int, value: int | None) -> int | None:
    for scale in (1_000_000, 1000):
        if olow % scale == 0:
            return scale
    return None


def _apply(mod: str, low: int, high: int, shape: str) -> tuple[int | None, int | None]:
    if mod == "approx":
        return low, high
    if mod == "at_least":
        return low, None
    if mod == "more_than":
        return (low + 1 if shape == "exact" else low), None
    if mod == "up_to":
        return None, high
    return None, (high - 1 if shape == "exact" else high)   # less_than


def _modifier_before(toks: list[Token], i: int) -> tuple[str | None, int]:
    best, best_len = None, 0
    for name, phrases in lexicon().modifiers.items():
        p = _match_back(toks, i, phrases)
        if p is not None and len(p.split()) > best_len:  # the longest modifier wins
            best, best_len = name, len(p.split())
    if best == "up_to" and i >= 2 and lexicon().is_change_verb(toks[i - 2].norm):
        return None, 0           # "возросло до 20": the result, not a bound
    return best, best_len


class PhraseSet:
    """Phrases of words, indexed by their first and last word for quick matching."""

    def __init__(self, phrases):
        self.phrases = [normalize(p) for p in phrases]
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for p in self.phrases:
            words = tuple(p.split())
            self.by_first.setdefault(words[0], []).append(words)
            self.by_last.setdefault(words[-1], []).append(words)

    def __iter__(self):
        return iter(self.phrases)


def _match(toks: list[Token], j: int, phrases: PhraseSet) -> int | None:
    """Index after the longest phrase of ``phrases`` starting at token j."""
    best = None
    if j >= len(toks):
        return None
    for words in phrases.by_first.get(toks[j].norm, ()):
        k = j + len(words)
        if k <= len(toks) and all(toks[j + n].norm == w for n, w in enumerate(words)):
            if best is None or k > best:
                best = k
    return best


def _match_back(toks: list[Token], i: int, phrases: PhraseSet) -> str | None:
    """The longest phrase of ``phrases`` that ends right before token i."""
    best = None
    if i < 1:
        return None
    for words in phrases.by_last.get(toks[i - 1].norm, ()):
        s = i - len(words)
        if s >= 0 and all(toks[s + n].norm == w for n, w in enumerate(words)):
            if best is None or len(words) > len(best):
                best = words
    return " ".join(best) if best else None


# --- the core: one number or one vague quantity ---------------------------------------------
# returns (low, high, shape, end index, plain digit value)

def _read_core(toks: list[Token], i: int):
    t = toks[i]
    if t.digit:
        got = _read_digits(toks, i)
        if got is None:
            return None
        value, j, plain = got
        return _units(toks, value, value, "exact", j, plain)
    got = _read_words(toks, i)
    if got is not None:
        value, j = got
        return _units(toks, value, value, "exact", j, None)
    return _read_vague(toks, i)


def _read_digits(toks: list[Token], i: int):
    lex, t = lexicon(), toks[i]
    n = len(toks)
    if i > 0 and toks[i - 1].end == t.start and not _is_open(toks[i - 1].norm) and not (
            toks[i - 1].norm in ("-", "–", "—") and i > 1 and toks[i - 2].digit):
        return None                                   # G20, №5, $5, COVID-19 (but 20-30)
    raw = t.norm.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if ":" in raw or "/" in raw:
        return None                                   # 12:30, 1/2
    parts = re.split(r"[.,]", raw)
    j = i + 1
    nxt = toks[j] if j < n else None
    if nxt is not None and nxt.start == t.end and nxt.norm in ("-", "–") and j + 1 < n \
            and toks[j + 1].start == nxt.end and not toks[j + 1].digit:
        if toks[j + 1].norm not in lex.cardinal_suffixes:
            return None                               # 36-летний, 16-го, 25-year-old
        j += 2
    elif nxt is not None and nxt.start == t.end and not nxt.digit and nxt.norm not in ("-", "–", ",", ".", ")", "—"):
        if nxt.norm in lex.abbreviations:
            pass                                       # 10k, 15тыс
        elif nxt.norm in lex.cardinal_suffixes:
            j += 1
        else:
            return None                               # 16th, 80%, 5pm, 10km
    scale = _scale_at(toks, j)
    if len(parts) == 1:
        value: float = int(raw)
    elif len(parts) == 2 and len(parts[1]) <= 2:
        value = float(f"{parts[0]}.{parts[1]}")       # 2,5 тысячи; 615,00
    elif all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3:
        value = int("".join(parts))                    # 1,500 / 1.500.000
    else:
        return None                                   # 16.12.2011
    plain = int(value) if scale is None and value == int(value) else None
    if scale is not None:
        value, j = value * scale[0], scale[1]
    if value != int(value):
        return None
    return int(value), j, plain


def _is_open(norm: str) -> bool:
    return norm in ("(", "«", '"', "“", "„", "'", "~", "≈", "[")


def _scale_at(toks: list[Token], j: int):
    """(multiplier, index after) for "тысяч", "тыс.", "million" at token j."""
    if j >= len(toks):
        return None
    lex, t = lexicon(), toks[j]
    if t.norm in lex.abbreviations:
        k = j + 1
        if k < len(toks) and toks[k].norm == "." and toks[k].start == t.end:
            k += 1
        return lex.abbreviations[t.norm], k
    e = lookup(t.norm)
    if e is not None and e.scale:
        return e.scale, j + 1
    return None


def _read_words(toks: list[Token], i: int):
    """Cardinal words: "двадцати пяти", "one hundred and twenty", "полутора тысяч"."""
    total, group, lowest, last_scale, j, n = 0, 0.0, 4, 10 ** 12, i, len(toks)
    while j < n:
        norm = toks[j].norm
        e = lookup(norm)
        if norm == "a" and j == i and j + 1 < n and _is_en_scale(toks[j + 1].norm):
            group, lowest, j = 1, 1, j + 1
            continue
        if norm == "and" and group and j + 1 < n and (lookup(toks[j + 1].norm) or Entry()).num:
            j += 1
            continue
        if e is None:
            break
        if e.num and not group % 1:
            slot = 1 if e.num < 10 else 2 if e.num < 100 else 3
            if slot >= lowest:
                break
            group += e.num
            lowest = 1 if 10 <= e.num < 20 else slot
        elif e.half and j + 1 < n and (lookup(toks[j + 1].norm) or Entry()).scale:
            if group:
                break
            group, lowest = e.half, 1
        elif e.whole and not group and total == 0:
            return e.whole, j + 1
        elif e.scale and group:
            if e.scale == 100:
                if group >= 10 or lowest < 1:
                    break
                group, lowest = group * 100, 3
            else:
                if e.scale >= last_scale:
                    break
                total, group, lowest, last_scale = total + group * e.scale, 0, 4, e.scale
        else:
            break
        j += 1
    value = total + group
    if j == i or not value or value != int(value):
        return None
    return int(value), j


def _is_en_scale(norm: str) -> bool:
    e = lookup(norm)
    return e is not None and bool(e.scale) and norm.isascii()


def _read_vague(toks: list[Token], i: int):
    """"несколько", "сотни", "a hundred", "a few", "кількасот", then counting nouns."""
    lex, t, n = lexicon(), toks[i], len(toks)
    j = i + 1
    if t.norm in lex.few_compounds:
        low, high = lex.few_compounds[t.norm]
        return _units(toks, low, high, "few", j, None)
    if t.norm == "a" and j < n and toks[j].norm == "few":
        return _units(toks, lex.few[0], lex.few[1], "few", j + 1, None)
    if t.norm == "a" and j < n and (lookup(toks[j].norm) or Entry()).unit:
        i, j = j, j + 1
        t = toks[i]
    e = lookup(t.norm)
    if e is None:
        return None
    if e.few:
        return _units(toks, lex.few[0], lex.few[1], "few", j, None)
    if not e.unit:
        return None
    if e.plural and (not e.singular or not _wants_genitive(toks, i)):
        return _units(toks, 2 * e.unit, 10 * e.unit - 1, "plural", j, None)
    return _units(toks, e.unit, e.unit, "exact", j, None)


def _wants_genitive(toks: list[Token], i: int) -> bool:
    return i > 0 and toks[i - 1].norm in lexicon().genitive_governors


def _units(toks: list[Token], low: int, high: int, shape: str, j: int, plain):
    """Counting nouns after a quantity: "несколько десятков тысяч", "tens of thousands"."""
    lex, n, last = lexicon(), len(toks), 1
    while j < n:
        k = j + 1 if toks[j].norm == "of" and j + 1 < n else j
        e = lookup(toks[k].norm)
        if e is None or not e.unit or e.unit <= max(last, 1) or (shape == "exact" and low < 1):
            break
        unit = lex.unit_after_few.get(toks[k].norm, e.unit) if shape == "few" else e.unit
        if shape == "plural":
            low, high = low * unit, (high + 1) * unit - 1
        else:
            low, high = low * unit, high * unit
        last, j, plain = unit, k + 1, None
    return low, high, shape, j, plain


# --- the lexicon: data/quantifiers.yaml --------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'", "ё": "е", "Ё": "е"})
_KEYS = {"version", "numerals", "extra_forms", "scales", "abbreviations", "halves", "wholes",
         "units", "unit_after_few", "few", "cardinal_suffixes", "modifiers", "ranges",
         "alternatives", "subset", "genitive_governors", "change_verbs"}
_MODIFIERS = {"approx", "at_least", "more_than", "up_to", "less_than"}


def normalize(word: str) -> str:
    return word.translate(_APOSTROPHES).lower()


@dataclass(slots=True)
class Entry:
    """What one word form can be: a cardinal, a scale, a counting noun, ..."""
    num: int = 0
    scale: int = 0
    unit: int = 0
    singular: bool = False
    plural: bool = False
    half: float = 0.0
    whole: int = 0
    few: bool = False


@dataclass(slots=True)
class QuantifierLexicon:
    forms: dict[str, Entry] = field(default_factory=dict)
    lemmas: dict[str, tuple[str, str]] = field(default_factory=dict)   # lemma -> (role, lang)
    abbreviations: dict[str, int] = field(default_factory=dict)
    few: tuple[int, int] = (3, 9)
    few_compounds: dict[str, tuple[int, int]] = field(default_factory=dict)
    unit_after_few: dict[str, int] = field(default_factory=dict)
    cardinal_suffixes: frozenset = frozenset()
    modifiers: dict[str, PhraseSet] = field(default_factory=dict)
    range_dashes: PhraseSet | None = None
    range_openers: PhraseSet | None = None
    range_closers: dict[str, PhraseSet] = field(default_factory=dict)
    alternatives: PhraseSet | None = None
    subset: PhraseSet | None = None
    genitive_governors: frozenset = frozenset()
    change_verbs: tuple[str, ...] = ()
    stems: frozenset = frozenset()

    def is_change_verb(self, norm: str) -> bool:
        return norm.startswith(self.change_verbs)


def _fail(msg: str) -> ExtractionError:
    return ExtractionError(f"quantifiers.yaml: {msg}",
                           hint="fix src/letopis/data/quantifiers.yaml (see its header)")


@cache
def morph(lang: str):
    import pymorphy3
    return pymorphy3.MorphAnalyzer(lang=lang)


@cache
def lexicon() -> QuantifierLexicon:
    raw = yaml.safe_load(resources.files("letopis.data").joinpath("quantifiers.yaml").read_text("utf-8"))
    return build_lexicon(raw)


def build_lexicon(raw: dict) -> QuantifierLexicon:
    """Check the data and expand Russian/Ukrainian lemmas to all their forms."""
    if not isinstance(raw, dict) or set(raw) - _KEYS or _KEYS - set(raw):
        raise _fail(f"unknown keys {sorted(set(raw) - _KEYS)}, missing {sorted(_KEYS - set(raw))}")
    if set(raw["modifiers"]) - _MODIFIERS:
        raise _fail(f"unknown modifier kinds {sorted(set(raw['modifiers']) - _MODIFIERS)}")
    lex = QuantifierLexicon()

    def add(word: str, **kw) -> None:
        e = lex.forms.setdefault(normalize(word), Entry())
        for k, v in kw.items():
            setattr(e, k, getattr(e, k) or v)

    def expand(lemma: str, lang: str, role: str, value) -> None:
        lemma = normalize(lemma)
        lex.lemmas[lemma] = (role, lang)
        add(lemma, **{role: value})
        if lang == "en":
            return
        for p in morph(lang).parse(lemma):
            if p.normal_form == lemma and {"NUMR", "NOUN", "NPRO"} & {p.tag.POS}:
                for f in p.lexeme:
                    num = {"singular": f.tag.number == "sing", "plural": f.tag.number == "plur"}
                    add(f.word, **{role: value}, **(num if role == "unit" else {}))
    for lang in ("ru", "uk", "en"):
        for w, v in raw["numerals"][lang].items():
            expand(w, lang, "num", int(v))
        for w, v in raw["scales"][lang].items():
            expand(w, lang, "scale", int(v))
    for lang in ("ru", "uk"):
        for w, v in raw["units"][lang].items():
            expand(w, lang, "unit", int(v))
    for w, v in raw["units"]["en_singular"].items():
        add(w, unit=int(v), singular=True)
    for w, v in raw["units"]["en_plural"].items():
        add(w, unit=int(v), plural=True)
    tens = {w: v for w, v in raw["numerals"]["en"].items() if v >= 20}
    units = {w: v for w, v in raw["numerals"]["en"].items() if v < 10}
    for t, tv in tens.items():
        for u, uv in units.items():
            add(f"{t}-{u}", num=tv + uv)
    for w, v in raw["halves"].items():
        add(w, half=float(v))
    for w, v in raw["wholes"].items():
        add(w, whole=int(v))
    for w in raw["few"]["words"]:
        if " " not in w:
            expand(w, "uk" if w in ("кілька", "декілька") else "ru", "few", True) \
                if not w.isascii() else add(w, few=True)
    for form, lemma in raw["extra_forms"].items():
        src = lex.forms.get(normalize(lemma))
        if src is None:
            raise _fail(f"extra form {form!r} points to unknown word {lemma!r}")
        lex.forms[normalize(form)] = src
    lex.forms.pop("a", None)
    lex.abbreviations = {normalize(k): int(v) for k, v in raw["abbreviations"].items()}
    lex.few = (int(raw["few"]["low"]), int(raw["few"]["high"]))
    lex.few_compounds = {normalize(k): (int(a), int(b)) for k, (a, b) in raw["few"]["compounds"].items()}
    lex.unit_after_few = {normalize(k): int(v) for k, v in raw["unit_after_few"].items()}
    lex.cardinal_suffixes = frozenset(normalize(s) for s in raw["cardinal_suffixes"])
    lex.modifiers = {k: PhraseSet(v) for k, v in raw["modifiers"].items()}
    lex.range_dashes = PhraseSet(raw["ranges"]["dashes"])
    lex.range_openers = PhraseSet(raw["ranges"]["pairs"])
    lex.range_closers = {normalize(k): PhraseSet(v) for k, v in raw["ranges"]["pairs"].items()}
    lex.alternatives = PhraseSet(raw["alternatives"])
    lex.subset = PhraseSet(raw["subset"])
    lex.genitive_governors = frozenset(normalize(w) for w in raw["genitive_governors"])
    lex.change_verbs = tuple(normalize(w) for w in raw["change_verbs"])
    lex.stems = frozenset(w[:4] for w in lex.lemmas if not w.isascii())
    return lex


def lookup(norm: str) -> Entry | None:
    """The entry of a word form; unknown Cyrillic forms are lemmatised with pymorphy3."""
    lex = lexicon()
    e = lex.forms.get(norm)
    if e is not None or norm.isascii() or norm[:4] not in lex.stems:
        return e
    return _lemmatized(norm)


@lru_cache(maxsize=50_000)
def _lemmatized(norm: str) -> Entry | None:
    lex = lexicon()
    for lang in ("ru", "uk"):
        for p in morph(lang).parse(norm):
            role = lex.lemmas.get(normalize(p.normal_form))
            if role and p.tag.POS in ("NUMR", "NOUN") and p.score >= 0.1:
                return lex.forms.get(normalize(p.normal_form))
    return None
