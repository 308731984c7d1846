"""Event triggers, `events.rules.v1`: which sentences report which event types.

A trigger counts when its sentence gives it the context its rule needs (a
gathering for a dispersal, civic activity for an arrest), and not when its clause
is negated ("задержаний не было"), modal or planned ("may go on strike",
"грозят забастовкой"), off topic (a football striker, a Wikipedia "strike") or
about ordinary crime (a murder suspect detained).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from .lexicon import Lexicon, TriggerRule
from .text import Sentence

# a sentence that opens with an infinitive ("Прекратить репрессии", "- закрыть дела") is a demand
IMPERATIVE = re.compile(r"^[\s\-–—•*\d.)]*([А-Яа-яЁёІіЇїЄєҐґ]+(?:ть|ти|тись|ться))\b")
OF_PROTESTERS = re.compile(r"(?:требовани\w*|вимог\w*|лидер\w*|лідер\w*|demands of|leaders? of)\s+$", re.I)
CLAUSE_BREAK = re.compile(r"[,;:—–()\"«»]|\s-\s")


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    subtype: str | None
    start: int
    end: int
    sentence: int          # index into the sentence list
    strong: bool
    commemorated: bool = False   # "в годовщину расстрела": the past event, named from a later one


@lru_cache(maxsize=4096)
def _is_infinitive(word: str) -> bool:
    from .morph import analyzer
    for lang in ("ru", "uk"):
        parses = analyzer(lang).parse(word.lower())
        if parses and parses[0].tag.POS == "INFN" and parses[0].score >= 0.5:
            return True
    return False


def _demand_item(text: str) -> bool:
    m = IMPERATIVE.match(text)
    return bool(m) and _is_infinitive(m.group(1))


def _has(ctx: re.Pattern, text: str, skip: tuple[int, int] | None = None) -> bool:
    for m in ctx.finditer(text):
        if skip and m.start() < skip[1] and m.end() > skip[0]:
            continue
        return True
    return False


def _clause(text: str, a: int, b: int) -> tuple[int, int]:
    """Bounds of the clause around text[a:b] within one sentence."""
    left = 0
    for m in CLAUSE_BREAK.finditer(text, 0, a):
        left = m.end()
    m = CLAUSE_BREAK.search(text, b)
    right = m.start() if m else len(text)
    return left, right


def _blocked(lex: Lexicon, s: Sentence, a: int, b: int) -> bool:
    text = s.text
    ca, cb = _clause(text, a, b)
    before = text[max(ca, a - 45):a]
    after = text[b:min(cb, b + 30)]
    if lex.contexts["negation"].search(before + " " + after):
        return True
    if re.search(r"(?<!\w)(?:не|не было|ни|no|not|never|без)\s*$", before, re.I):
        return True
    if lex.contexts["modality"].search(text[max(ca, a - 80):b]) or lex.contexts["modality_after"].search(after[:25]):
        return True
    window = text[max(0, a - 80):b + 80]
    if lex.contexts["offtopic"].search(window):
        return True
    return False


def _context_ok(lex: Lexicon, rule: TriggerRule, sents: list[Sentence], i: int, a: int, b: int,
                doc_civic: bool) -> bool:
    s = sents[i]
    own = (a, b)
    civic = _has(lex.contexts["civic"], s.text, own)
    if rule.type in ("detention", "prosecution", "attack", "crackdown") and not civic:
        if lex.contexts["crime"].search(s.text):
            return False
    return all(_need_ok(lex, need, sents, i, own, civic, doc_civic) for need in rule.needs)


def _need_ok(lex: Lexicon, need: str, sents: list[Sentence], i: int, own: tuple[int, int],
             civic: bool, doc_civic: bool) -> bool:
    s = sents[i]
    if need == "none":
        return True
    if need == "civic":
        if civic:
            return True
        prev = sents[i - 1] if i > 0 and sents[i - 1].para == s.para else None
        return bool(prev and _has(lex.contexts["civic"], prev.text)) or doc_civic
    if need == "gathering":
        if _has(lex.contexts["gathering"], s.text, own):
            return True
        prev = sents[i - 1] if i > 0 else None
        return bool(prev and _has(lex.contexts["gathering"], prev.text))
    if need == "state":
        return _has(lex.contexts["state"], s.text, own)
    if need == "labour":
        return _has(lex.contexts["labour"], s.text, own)
    return False


SAME_TYPE_GAP = 60     # two triggers of one type in a sentence are two events only this far apart


def find_triggers(lex: Lexicon, sents: list[Sentence]) -> list[Trigger]:
    """Triggers in document order. Within a sentence, a type fires once, or again only
    further than SAME_TYPE_GAP characters on ("a stroll on 1 April ... the rally on 6 May");
    where rules of one type overlap, the first rule in the lexicon names the sub-type."""
    doc_civic = sum(1 for s in sents if _has(lex.contexts["civic"], s.text)) >= 2
    out: list[Trigger] = []
    for i, s in enumerate(sents):
        if _demand_item(s.text):
            continue                      # an item of a list of demands: a call, not a report
        if lex.contexts["aggregate"].search(s.text):
            continue                      # statistics over a period, not an event
        found: dict[str, list[tuple[int, int, int, TriggerRule]]] = {}
        for rank, rule in enumerate(lex.rules):
            for m in rule.regex.finditer(s.text):
                a, b = m.start(), m.end()
                if _blocked(lex, s, a, b) or not _context_ok(lex, rule, sents, i, a, b, doc_civic):
                    continue
                if rule.type == "concession" and lex.contexts["claim"].search(s.text[max(0, a - 40):a]):
                    continue              # "требуя отставки": asked for, not granted
                if rule.type == "protest" and OF_PROTESTERS.search(s.text[max(0, a - 30):a]):
                    continue              # "требования протестующих": the protesters' claims, no new gathering
                found.setdefault(rule.type, []).append((a, b, rank, rule))
        for typ, hits in found.items():
            kept: list[tuple[int, int, int, TriggerRule]] = []
            for a, b, rank, rule in sorted(hits, key=lambda h: (h[0], h[2])):
                if kept and a - kept[-1][0] < SAME_TYPE_GAP:
                    if a < kept[-1][1] and rank < kept[-1][2]:
                        kept[-1] = (kept[-1][0], kept[-1][1], rank, rule)   # overlapping: the stronger rule names it
                    continue
                kept.append((a, b, rank, rule))
            for a, b, _rank, rule in kept:
                memo = bool(lex.contexts["commemoration"].search(s.text[max(0, a - 30):a]))
                out.append(Trigger(rule.type, rule.subtype, s.start + a, s.start + b, i, rule.strong, memo))
    out = _drop_turned_violent(sents, out)
    out.sort(key=lambda t: (t.start, t.type))
    return out


# "the protests turned violent": the riot is what the protest became, one event, told as a riot
TURNED_VIOLENT = re.compile(r"насильственн\w+ характер|переросл\w* в|перерос\w* в|вылил\w* в|вылились|"
                            r"переросли|переріс|переросл\w*|насильницьк\w+ характер|turned violent|"
                            r"escalated into|degenerated into|descended into", re.I)


def _drop_turned_violent(sents: list[Sentence], triggers: list[Trigger]) -> list[Trigger]:
    violent = {t.sentence for t in triggers if t.type == "riot" and TURNED_VIOLENT.search(sents[t.sentence].text)}
    return [t for t in triggers if not (t.type == "protest" and t.sentence in violent)]
