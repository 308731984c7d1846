"""``figures.rules.v1``: how many people were killed, injured, detained, or took part.

``find_figures(text)`` reads every quantity of people in a text (``numbers.py``), gives it
the kind of the nearest trigger word of its sentence (``data/figures_triggers.yaml``) and
the attribution of the nearest "who said so" phrase (``data/figures_attribution.yaml``).
Each figure's span runs from the quantity to its kind word: ``text[start:end] == span.text``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from letopis.errors import ExtractionError
from letopis.extract.numbers import Quantity, Token, find_quantities, morph, normalize, tokenize
from letopis.model import FIGURE_KINDS, Figure, Span

EXTRACTOR = "figures.rules.v1"
WINDOW = 1000          # a "sentence" longer than this is read in windows of about this size
MAX_GAP = 12           # tokens between a quantity and its kind word
_TRIGGER_KEYS = {"version", "kinds", "participant_nouns", "persons", "non_persons",
                 "reject_before", "negations", "blockers"}
_ATTRIBUTION_KEYS = {"version", "cues", "official", "independent", "official_markers",
                     "independent_markers"}
_WORD_RE = re.compile(r"[^\W\d_]", re.UNICODE)


# --- phrase patterns ----------------------------------------------------------------------

class Patterns:
    """Phrases of words; a word ending in "*" is a prefix. ``match(toks, i)`` → (end, tag)."""

    def __init__(self, items: list[tuple[str, object]]):
        self.exact: dict[str, list] = {}
        self.prefix: dict[str, list] = {}
        for phrase, tag in items:
            if not isinstance(phrase, str) or not phrase.strip():
                raise ExtractionError(f"figure lexicon: {phrase!r} is not a phrase",
                                      hint="quote words YAML reads as other types, e.g. \"no\"")
            words = tuple(normalize(w) for w in phrase.split())
            first = words[0]
            if first.endswith("*"):
                self.prefix.setdefault(first[:2], []).append((words, tag))
            else:
                self.exact.setdefault(first, []).append((words, tag))

        self._cands: dict[str, list] = {}

    def _candidates(self, norm: str) -> list:
        c = self._cands.get(norm)
        if c is None:
            c = self.exact.get(norm, []) + [
                x for x in self.prefix.get(norm[:2], ()) if norm.startswith(x[0][0][:-1])]
            if len(self._cands) < 200_000:
                self._cands[norm] = c
        return c

    def match(self, toks: list[Token], i: int):
        best = None
        for words, tag in self._candidates(toks[i].norm):
            k = i + len(words)
            if k <= len(toks) and all(_wmatch(w, toks[i + n].norm) for n, w in enumerate(words)):
                if best is None or k > best[0]:
                    best = (k, tag)
        return best

    def find_all(self, toks: list[Token]) -> list[tuple[int, int, object]]:
        out, i, n, cands = [], 0, len(toks), self._cands
        while i < n:
            c = cands.get(toks[i].norm)
            if c is None:
                c = self._candidates(toks[i].norm)
            m = self.match(toks, i) if c else None
            if m:
                out.append((i, m[0], m[1]))
                i = m[0]
            else:
                i += 1
        return out


def _wmatch(pattern: str, norm: str) -> bool:
    return norm.startswith(pattern[:-1]) if pattern.endswith("*") else norm == pattern


@dataclass(frozen=True, slots=True)
class FigureLexicon:
    triggers: Patterns          # tag: (kind, weak)
    persons: Patterns
    non_persons: Patterns
    reject_before: Patterns
    negations: frozenset
    blockers: Patterns
    attribution: Patterns       # tag: "cue" | "official" | "independent" | "official!" | ...


def _load(name: str, keys: set[str]) -> dict:
    raw = yaml.safe_load(resources.files("letopis.data").joinpath(name).read_text("utf-8"))
    if not isinstance(raw, dict) or set(raw) != keys:
        bad = sorted(set(raw or {}) ^ keys)
        raise ExtractionError(f"{name}: unknown or missing keys {bad}",
                              hint=f"fix src/letopis/data/{name} (see its header)")
    return raw


@cache
def figure_lexicon() -> FigureLexicon:
    trig = _load("figures_triggers.yaml", _TRIGGER_KEYS)
    attr = _load("figures_attribution.yaml", _ATTRIBUTION_KEYS)
    return build_figure_lexicon(trig, attr)


def build_figure_lexicon(trig: dict, attr: dict) -> FigureLexicon:
    unknown = set(trig["kinds"]) - set(FIGURE_KINDS)
    if unknown:
        raise ExtractionError(f"figures_triggers.yaml: unknown kinds {sorted(unknown)}",
                              hint=f"kinds are {', '.join(FIGURE_KINDS)}")
    items = [(p, (kind, False)) for kind, ps in trig["kinds"].items() for p in ps]
    items += [(p, ("participants", True)) for p in trig["participant_nouns"]]
    a_items = [(p, "cue") for p in attr["cues"]]
    for cls in ("official", "independent"):
        a_items += [(p, cls) for p in attr[cls]]
        a_items += [(p, cls + "!") for p in attr[cls + "_markers"]]
    return FigureLexicon(
        Patterns(items), Patterns([(p, 1) for p in trig["persons"]]),
        Patterns([(p, 1) for p in trig["non_persons"]]),
        Patterns([(p, 1) for p in trig["reject_before"]]),
        frozenset(normalize(w) for w in trig["negations"]),
        Patterns([(p, 1) for p in trig["blockers"]]), Patterns(a_items))


# --- sentences ----------------------------------------------------------------------------

def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentences by razdel, paragraph by paragraph, skipping paragraphs with no digit or word."""
    from razdel import sentenize
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        for cs, ce in _windows(text, s, e, 20 * WINDOW):
            chunk = text[cs:ce]
            if not _WORD_RE.search(chunk) and not any(c.isdigit() for c in chunk):
                continue
            out.extend((cs + x.start, cs + x.stop) for x in sentenize(chunk))
    return out


def _windows(text: str, s: int, e: int, size: int = WINDOW):
    """Cut [s, e) into pieces of about ``size`` characters, at whitespace where possible."""
    while e - s > size * 1.5:
        cut = text.rfind(" ", s + size // 2, s + size)
        cut = cut if cut > s else s + size
        yield s, cut
        s = cut
    yield s, e


# --- figures ------------------------------------------------------------------------------

def find_figures(text: str, sentences: list[tuple[int, int]] | None = None,
                 lang: str | None = None) -> list[Figure]:
    """Every count of killed, injured, detained people and participants in ``text``."""
    out: list[Figure] = []
    lang = lang or guess_language(text)
    for s, e in (sentences if sentences is not None else sentence_bounds(text)):
        for ws, we in _windows(text, s, e):
            toks = tokenize(text, ws, we)
            quantities = [q for q in find_quantities(toks) if q.low or q.high]
            if quantities:
                out.extend(_figures_in(text, toks, quantities, lang))
    return out


def guess_language(text: str) -> str:
    """'uk', 'ru' or 'en' by letters that only one of them uses (a sample of the text)."""
    sample = text[:20000].lower()
    uk = sum(sample.count(c) for c in "іїєґ")
    ru = sum(sample.count(c) for c in "ыэъё")
    if uk or ru:
        return "uk" if uk > ru else "ru"
    return "en"


def _figures_in(text: str, toks: list[Token], quantities: list[Quantity], lang) -> list[Figure]:
    lex = figure_lexicon()
    blocked = {k for s, e, _ in lex.blockers.find_all(toks) for k in range(s, e)}
    triggers = [(s, e, tag) for s, e, tag in lex.triggers.find_all(toks)
                if s not in blocked and not _negated(toks, s, lex)]
    heads = {}
    for q in quantities:
        heads[q] = _head(toks, q, triggers, lex, lang)
    people = [q for q in quantities if heads[q] is not False]
    claimed = {h[0] for h in heads.values() if h and not h[2][1]}
    attributions = _attributions(toks, lex)
    out = []
    for q in people:
        head = heads[q]
        if head and not head[2][1]:
            kind, trig = head[2][0], head
        else:
            trig = _nearest(q, [t for t in triggers if t[0] not in claimed
                                and (not head or t[0] != head[0])], people, toks, lang)
            if trig is None and head and head[2][1]:
                trig = head
            if trig is None:
                continue
            kind = trig[2][0]
        start = min(q.start, toks[trig[0]].start)
        end = max(q.end, toks[trig[1] - 1].end)
        att, source = _attribution_for(q, toks, text, attributions)
        out.append(Figure(kind, q.low, q.high, Span(start, end, text[start:end]), att, source))
    return out


def _negated(toks: list[Token], i: int, lex: FigureLexicon) -> bool:
    for k in (i - 1, i - 2):
        if k >= 0 and (toks[k].norm in lex.negations or toks[k].norm.endswith("n't")):
            return True
    return False


def _head(toks, q: Quantity, triggers, lex: FigureLexicon, lang):
    """What the quantity counts: a trigger (i, j, tag), None (unknown), or False (not people)."""
    if q.subset or (q.high is not None and q.high <= 0):
        return False
    if q.i > 0:
        k = q.i - 1 - (toks[q.i - 1].norm == "." and q.i > 1)
        for back in (1, 2):
            s = k - back + 1
            m = lex.reject_before.match(toks, s) if s >= 0 else None
            if m and m[0] == k + 1:
                return False
    first = toks[q.i].norm
    nxt = toks[q.j].norm if q.j < len(toks) else ""
    if first in ("one", "один", "одна", "одного") and nxt in ("of", "из", "з", "із"):
        return False
    if q.i > 0 and toks[q.i - 1].norm in ("no", "ни", "жоден", "жодна") and q.low == 1:
        return False
    if q.i == 0 and q.value is not None and nxt in (".", ")"):
        return False                                  # "1. Прекратить репрессии ..."
    first_tok = toks[q.i].norm
    year = len(first_tok) == 4 and first_tok.isdigit() and 1800 <= int(first_tok) <= 2100
    by_start = {t[0]: t for t in triggers}
    k = q.j
    for _ in range(4):
        if k >= len(toks):
            break
        t = toks[k]
        if t.norm in ("of", "из", "з", "із", "from"):
            k += 1
            continue
        if k in by_start:
            return False if year else by_start[k]
        if lex.persons.match(toks, k):
            return None
        if q.low == 1 and q.high == 1 and not toks[q.i].digit and k > q.j:
            return False                              # "одному", "one" without a noun
        if lex.non_persons.match(toks, k) or t.norm in ("%", "$", "€"):
            return False
        if not _WORD_RE.match(t.norm):
            break
        pos = _pos(t.norm, lang)
        if pos == "person":
            return None
        if pos == "thing":
            return False
        if pos != "adj":
            break
        k += 1
    if q.low == 1 and q.high == 1 and not toks[q.i].digit:
        return False
    return False if year else None


@lru_cache(maxsize=100_000)
def _pos(norm: str, lang: str | None) -> str:
    """person | thing | adj | other, for a word after a number."""
    if norm.isascii():
        if norm.endswith(("ers", "ors", "ists", "ians", "ants", "ents", "ees", "men", "ites")):
            return "person"
        if norm.endswith("s") and len(norm) > 3 and not norm.endswith(("ss", "us", "is")):
            return "thing"
        return "other"
    uk = lang == "uk" or (lang != "ru" and any(c in norm for c in "іїєґ'"))
    p = morph("uk" if uk else "ru").parse(norm)[0]
    if p.tag.POS == "NOUN":
        return "person" if "anim" in p.tag.grammemes else "thing"
    if p.tag.POS in ("ADJF", "PRTF"):
        return "adj"
    return "other"


def _nearest(q: Quantity, triggers, people: list[Quantity], toks: list[Token], lang):
    best, best_score = None, None
    starts = sorted(p.i for p in people)
    for t in triggers:
        if t[0] >= q.j:
            lo, hi = q.j, t[0]
        elif t[1] <= q.i:
            lo, hi = t[1], q.i
        else:
            continue
        gap = hi - lo
        if gap > MAX_GAP or (_is_noun(toks[t[0]].norm, lang) and (t[0] >= q.j or gap > 5)):
            continue                  # a noun ("жертвы", "arrests") binds as the head or just before
        between = bisect_left(starts, hi) - bisect_left(starts, lo)
        commas = sum(1 for k in range(lo, hi) if toks[k].norm in (",", ";", ":", "(", ")"))
        stops = sum(1 for k in range(lo, hi) if toks[k].norm in (".", "!", "?"))
        score = gap + 6 * between + 2 * commas + 6 * stops + (3 if t[2][1] else 0)
        if best_score is None or score < best_score:
            best, best_score = t, score
    return best


def _is_noun(norm: str, lang: str | None) -> bool:
    return _pos(norm, lang) in ("person", "thing") and not norm.endswith("ed")


def _attributions(toks: list[Token], lex: FigureLexicon) -> list[tuple[int, int, str]]:
    found = lex.attribution.find_all(toks)
    cues = [(s, e) for s, e, tag in found if tag == "cue"]
    out = [(s, e, tag[:-1]) for s, e, tag in found if tag.endswith("!")]
    sources = [(s, e, tag) for s, e, tag in found if tag in ("official", "independent")]
    for cs, ce in cues:                     # each cue takes its nearest source, left on a tie
        near = [(max(cs - e, s - ce), -s, s, e, tag) for s, e, tag in sources
                if cs - e <= 4 and s - ce <= 4]
        if near:
            _, _, s, e, tag = min(near)
            out.append((min(s, cs), max(e, ce), tag))
    return out


def _attribution_for(q: Quantity, toks, text: str, attributions) -> tuple[str, str | None]:
    if not attributions:
        return "unknown", None
    s, e, cls = min(attributions, key=lambda a: min(abs(a[0] - q.j), abs(q.i - a[1])))
    return cls, text[toks[s].start:toks[e - 1].end]
