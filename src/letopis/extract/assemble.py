"""From triggers and the facts around them to event mentions, `assemble.v1`.

Each trigger takes the date, place and figures of its own sentence (the nearest to
it); a place may also come from the sentences before it in the same paragraph, or
from the document's main place. Then the mentions of one document are merged so
that each event is reported once, however often the text repeats it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from ..model import Actor, DateValue, Demand, Figure, Mention, Place, Span
from .text import Sentence
from .triggers import Trigger

# which figure kinds each event type takes, in order of preference
FIGURE_KINDS_FOR = {
    "protest": ("participants", "injured", "killed", "detained"),
    "strike": ("participants",),
    "riot": ("participants", "killed", "injured"),
    "crackdown": ("killed", "injured"),
    "detention": ("detained",),
    "attack": ("killed", "injured", "detained"),
    "prosecution": (),
    "restriction": (),
    "concession": (),
}
# when several types share a sentence, a figure goes to the first type here that takes it
FIGURE_OWNER_ORDER = ("detention", "crackdown", "attack", "riot", "protest", "strike")
PLACE_RANK = {"city": 2, "region": 1, "country": 0}
NATIONWIDE = re.compile(r"по всей стране|по всій країні|across the country|nationwide|throughout the country|по всей (?:территории|республике)|всеобщ\w+ забастовк\w*|загальнонаціональн\w*|general strike", re.I)
LATER = re.compile(r"впоследствии|позже|позднее|затем|потом|после (?:акции|митинга|задержания|этого)|"
                   r"згодом|пізніше|після (?:акції|мітингу|цього)|subsequently|later|afterwards|after the (?:action|rally|arrest)", re.I)
LATER_TYPES = ("prosecution", "concession")
CONTEXT_SENTENCES = 8        # how far back in a paragraph a place is looked for
MERGE_WINDOW = 200           # events of one type a new mention is compared with
MAX_EVIDENCE_SENTENCES = 64  # sentences kept as evidence of one mention
MAX_LIST = 50                # actors, demands kept on one mention
# "проти рішення підвищити оренду з 1 жовтня": inside a claim, a date after "from" dates the policy
POLICY_START = re.compile(r"(?:\bз|\bіз|\bс|\bсо|\bfrom|\bsince|\bstarting|\bдо|\bby)\s+$", re.I)
LONE_FIGURE_TYPES = {"participants": ("protest", "strike"), "killed": ("crackdown", "attack", "riot"),
                     "injured": ("crackdown", "attack", "riot"), "detained": ()}   # lone arrest counts are often totals
MAX_REPORTS = 4              # counts of one kind kept on one mention (the first is its figure)
UNTIL = re.compile(r"(?:\bпо|\bдо|\buntil|\btill)\s*$", re.I)   # "по сегодняшний день" is no event date


@dataclass
class Draft:
    """A mention under construction (mutable; frozen into a Mention at the end)."""
    type: str
    subtype: str | None
    sentences: list[int]
    trigger: tuple[int, int]
    strong: bool
    date: DateValue | None = None
    date_own: bool = False
    place: Place | None = None
    place_own: bool = False
    place_fallback: bool = False      # the document's main place, not this passage's
    date_context: bool = False        # the date of the sentence before, in the same paragraph
    national: bool = False            # "по всей стране": the whole country, not a town in it
    figures: list[Figure] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)


def _nearest(items, pos: int):
    return min(items, key=lambda it: abs(it[0] - pos)) if items else None


def _in(sent: Sentence, start: int, end: int) -> bool:
    return start >= sent.start and end <= sent.end


def main_place(places: list[tuple[Span, Place]], trigger_sents: set[int], sents: list[Sentence]) -> Place | None:
    """The place the document is mostly about: the most named city (else region, else country)."""
    if not places:
        return None
    counts: Counter = Counter()
    first: dict = {}
    for span, p in places:
        key = p.geonameid or (p.name_en or p.name)
        weight = 2 if any(_in(sents[i], span.start, span.end) for i in trigger_sents) else 1
        counts[key] += weight
        first.setdefault(key, p)
    best = max(first, key=lambda k: (PLACE_RANK.get(first[k].kind, 0) > 0, counts[k], PLACE_RANK.get(first[k].kind, 0)))
    return first[best]


def assemble(text: str, sents: list[Sentence], triggers: list[Trigger], dates, figures: list[Figure],
             places: list[tuple[Span, Place]], fallback_place: Place | None,
             country_of=None) -> list[Draft]:
    """One draft per trigger, with its own sentence's facts."""
    drafts: list[Draft] = []
    starts = [x.start for x in sents]
    dates_in = _by_sentence(starts, [(dm.span.start, dm) for dm in dates])
    claim_cache: dict[int, list[tuple[int, int]]] = {}
    places_in = _by_sentence(starts, [(sp.start, (sp, p)) for sp, p in places])
    for t in triggers:
        s = sents[t.sentence]
        d = Draft(t.type, t.subtype, [t.sentence], (t.start, t.end), t.strong)
        if t.commemorated:
            # the sentence is about the commemoration: the event itself is named, not placed or dated
            d.place, d.place_fallback = fallback_place, True
            drafts.append(d)
            continue
        claims = _claim_spans(text, s, claim_cache, t.sentence)
        own_dates = [(dm.span.start, dm) for dm in dates_in.get(t.sentence, ()) if _in(s, dm.span.start, dm.span.end) and dm.start
                     and not UNTIL.search(text[max(s.start, dm.span.start - 4):dm.span.start])
                     and not (any(a <= dm.span.start < b for a, b in claims)
                              and POLICY_START.search(text[max(s.start, dm.span.start - 10):dm.span.start]))]
        near = _nearest(own_dates, t.start)
        if near:
            dm = near[1]
            d.date, d.date_own = DateValue(dm.start, dm.end, dm.span), True
            lo, hi = sorted((dm.span.end, t.start))
            if t.type in LATER_TYPES and LATER.search(text[lo:hi]) and len(dm.start) > 4:
                # "18 марта ... впоследствии возбуждено дело": the date is the action's; the case came later
                d.date = DateValue(dm.start[:4], None, dm.span)
        own_places = [(sp.start, p) for sp, p in places_in.get(t.sentence, ()) if _in(s, sp.start, sp.end)]
        if NATIONWIDE.search(s.text):
            # "по всей стране", "nationwide": the country of the places around, not one town
            country = next((p for _, p in own_places if p.kind == "country"), None)
            if country is None and country_of is not None:
                ctx = (own_places[0][1] if own_places else None) or _context_place(sents, t.sentence, places) or fallback_place
                country = country_of(ctx.country) if ctx and ctx.country else None
            if country is not None:
                d.place, d.place_own, d.national = country, True, True
                own_places = []
        if d.place_own:
            pass
        elif own_places:
            top = max(PLACE_RANK.get(p.kind, 0) for _, p in own_places)
            d.place = _nearest([(a, p) for a, p in own_places if PLACE_RANK.get(p.kind, 0) == top], t.start)[1]
            d.place_own = True
        else:
            d.place = _context_place(sents, t.sentence, places, fallback_place)
            if d.place is None:
                d.place, d.place_fallback = fallback_place, True
        if d.date is None:
            d.date = _context_date(sents, t.sentence, dates_in.get(t.sentence - 1, ()))
            d.date_context = d.date is not None
        drafts.append(d)
    _attach_figures(sents, drafts, figures)
    return drafts


def _context_place(sents: list[Sentence], i: int, places: list[tuple[Span, Place]],
                   main: Place | None = None) -> Place | None:
    """The place named in the sentences before sentence i, in the same paragraph: the last one,
    or the document's main place when the sentence just before names it among others."""
    para, start = sents[i].para, sents[i].start
    j = i - 1
    while j >= 0 and sents[j].para == para and i - j <= CONTEXT_SENTENCES:
        j -= 1
    lo = sents[j + 1].start if j + 1 < len(sents) else start
    k = bisect_left(places, lo, key=lambda x: x[0].start)
    before = []
    while k < len(places) and places[k][0].start < start:
        before.append((places[k][0].start, places[k][1]))
        k += 1
    if not before:
        return None
    last = max(before, key=lambda x: x[0])
    if main is not None and i > 0:
        prev = sents[i - 1]
        in_prev = [p for a, p in before if prev.start <= a < prev.end]
        if len(in_prev) > 1 and any((p.geonameid or p.name) == (main.geonameid or main.name) for p in in_prev):
            return main
    return last[1]


def _claim_spans(text: str, s: Sentence, cache: dict, i: int) -> list[tuple[int, int]]:
    """Spans of the claims in a sentence ("проти рішення підвищити оренду з 1 жовтня"): a date
    inside a claim dates what is claimed against, not the event."""
    if i not in cache:
        from .demands import claims_in
        cache[i] = [(d.span.start, d.span.end) for d in claims_in(text, s.start, s.end) if d.span]
    return cache[i]


def _by_sentence(starts: list[int], items: list[tuple[int, object]]) -> dict[int, list]:
    """Items keyed by their offset, grouped by the sentence they start in."""
    out: dict[int, list] = {}
    for pos, item in items:
        i = bisect_right(starts, pos) - 1
        if i >= 0:
            out.setdefault(i, []).append(item)
    return out


def _context_date(sents: list[Sentence], i: int, dates) -> DateValue | None:
    """The date of the sentence just before sentence i, in the same paragraph, if it has one."""
    if i == 0 or sents[i - 1].para != sents[i].para:
        return None
    prev = sents[i - 1]
    inside = [dm for dm in dates if _in(prev, dm.span.start, dm.span.end) and dm.start
              and getattr(dm, "kind", "") != "duration_anchor"]
    if not inside:
        return None
    dm = max(inside, key=lambda x: (len(x.start), -x.span.start))
    return DateValue(dm.start, dm.end, dm.span)


def _attach_figures(sents: list[Sentence], drafts: list[Draft], figures: list[Figure]) -> None:
    by_sent: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sent.setdefault(d.sentences[0], []).append(d)
    starts = [s.start for s in sents]
    for f in figures:
        idx = bisect_right(starts, f.span.start) - 1
        if idx < 0 or not _in(sents[idx], f.span.start, f.span.end):
            continue
        owner = _figure_owner(by_sent.get(idx, []), f)
        if owner is None:
            # a sentence of figures alone continues the event of the sentence before it
            prev = by_sent.get(idx - 1, []) if idx > 0 and sents[idx - 1].para == sents[idx].para else []
            owner = _figure_owner(prev, f)
        if owner is None:
            # else the nearest event of the paragraph that counts this kind and has no such figure yet
            para = sents[idx].para
            near = [d for d in drafts if sents[d.sentences[0]].para == para
                    and not any(x.kind == f.kind for x in d.figures)]
            owner = _figure_owner(near, f)
        if owner is None:
            # a count told on its own belongs to the event of its kind told just before it (or else
            # just after): a crowd to a gathering, the dead to a crackdown, arrests to a detention
            takers = [d for d in drafts if d.type in LONE_FIGURE_TYPES[f.kind]
                      and not any(x.kind == f.kind for x in d.figures)]
            before = [d for d in takers if d.trigger[0] <= f.span.start]
            if before:
                owner = max(before, key=lambda d: d.trigger[0])
            elif takers:
                owner = min(takers, key=lambda d: d.trigger[0])
        if owner is not None:
            same = [x for x in owner.figures if x.kind == f.kind]
            # the first count of a kind is the mention's figure; a different count of the same kind in
            # the document ("officials say 3, rights groups at least 11") is kept beside it as a report
            if not same or (len(same) < MAX_REPORTS and all((x.low, x.high) != (f.low, f.high) for x in same)):
                owner.figures.append(f)


def _figure_owner(drafts: list[Draft], f: Figure) -> Draft | None:
    takers = [d for d in drafts if f.kind in FIGURE_KINDS_FOR.get(d.type, ())]
    if not takers:
        return None
    order = {t: i for i, t in enumerate(FIGURE_OWNER_ORDER)}
    if f.kind == "participants":
        order = {"protest": 0, "strike": 1, "riot": 2}
    return min(takers, key=lambda d: (order.get(d.type, 99), abs(d.trigger[0] - f.span.start)))


# ---------------------------------------------------------------- merging within a document

def _date_key(d: Draft) -> str | None:
    return d.date.start if d.date else None


def _compatible(a: Draft, b: Draft) -> bool:
    if a.type != b.type:
        return False
    da, db = _date_key(a), _date_key(b)
    if da and db and da != db and not (da.startswith(db) or db.startswith(da)):
        return False
    if a.date_own and b.date_own and da != db:
        return False
    if a.date_own and b.date_own and da and len(da) == 4 and not set(a.sentences) & set(b.sentences):
        return False          # "in 2013" twice in two places of the text is not yet one event
    pa, pb = a.place, b.place
    if pa and pb and (pa.geonameid or pa.name) != (pb.geonameid or pb.name):
        if pa.kind == pb.kind or pa.country != pb.country or a.national or b.national:
            return False          # two cities, places in two countries, or the nation and one town
        # a country or region beside a city in it: the same event, told more or less precisely
    kinds = {f.kind: (f.low, f.high) for f in a.figures}
    for f in b.figures:
        if f.kind in kinds and kinds[f.kind] != (f.low, f.high):
            return False
    names_a = {x.name for x in a.actors if x.kind == "person" and x.role == "target"}
    names_b = {x.name for x in b.actors if x.kind == "person" and x.role == "target"}
    if names_a and names_b and not names_a & names_b:
        return False
    return True


def _absorb(a: Draft, b: Draft) -> None:
    """Merge b into a, keeping the more precise facts."""
    if len(a.sentences) < MAX_EVIDENCE_SENTENCES:
        a.sentences.extend(i for i in b.sentences if i not in a.sentences)
    a.strong = a.strong or b.strong
    if b.date and (not a.date or (b.date_own and not a.date_own) or
                   (b.date_own == a.date_own and len(b.date.start or "") > len(a.date.start or ""))):
        a.date, a.date_own = b.date, b.date_own
    if b.place and (not a.place or (b.place_own and not a.place_own) or
                    (b.place_own == a.place_own and PLACE_RANK.get(b.place.kind, 0) > PLACE_RANK.get(a.place.kind, 0))):
        a.place, a.place_own = b.place, b.place_own
    if a.subtype is None:
        a.subtype = b.subtype
    a.national = a.national or b.national
    have = {(f.kind, f.low, f.high) for f in a.figures}
    for f in b.figures:
        if (f.kind, f.low, f.high) not in have and sum(x.kind == f.kind for x in a.figures) < MAX_REPORTS:
            a.figures.append(f)
            have.add((f.kind, f.low, f.high))
    if len(a.actors) < MAX_LIST:
        names = {(x.name, x.role) for x in a.actors}
        a.actors += [x for x in b.actors if (x.name, x.role) not in names]
    if len(a.demands) < MAX_LIST:
        texts = {(x.text, x.category) for x in a.demands}
        a.demands += [x for x in b.demands if (x.text, x.category) not in texts]


def _coarser(a: Draft, b: Draft) -> bool:
    """a's date is known less precisely than b's ('2013' beside '2013-01-19')."""
    da, db = _date_key(a), _date_key(b)
    return bool(da and db and len(da) < len(db))


def merge_drafts(drafts: list[Draft], text: str = "") -> list[Draft]:
    """Each event once per document: fold repeated mentions of one event together.

    Anchored drafts (own date or own place) of one type merge when their facts agree;
    a draft with no anchor of its own joins the nearest earlier draft of its type (or the
    next one) and stands alone only when there is none.
    """
    anchored = [d for d in drafts if d.date_own or d.place_own or d.figures]
    loose = [d for d in drafts if not (d.date_own or d.place_own or d.figures)]
    out: list[Draft] = []
    by_type: dict[str, list[Draft]] = {}
    for d in anchored:
        # only the latest MERGE_WINDOW events of a type are candidates: linear in huge texts
        for o in reversed(by_type.get(d.type, [])[-MERGE_WINDOW:]):
            if _compatible(o, d):
                _absorb(o, d)
                break
        else:
            out.append(d)
            by_type.setdefault(d.type, []).append(d)
    for d in loose:
        probe = replace(d, place=None) if d.place_fallback else d
        # a passage dated by its context ("Тогда митинги..." after "В 2009 году") joins only a dated event
        same = [o for o in by_type.get(d.type, [])[-MERGE_WINDOW:] if _compatible(o, probe)
                and not (d.date_context and o.date is None)]
        if same:
            pool = [o for o in same if d.subtype and o.subtype == d.subtype] or same
            before = [o for o in pool if o.trigger[0] <= d.trigger[0]]
            target = max(before, key=lambda o: o.trigger[0]) if before else min(pool, key=lambda o: o.trigger[0])
            if before or not _coarser(target, probe) or "\n\n" not in text[d.trigger[0]:target.trigger[0]]:
                _absorb(target, probe)
                continue
            # else: dated by its context, more precisely than the next event of its type, which is
            # told in another paragraph ("19 January ... cases were opened" / "... convicted in 2013")
        if d.date_context or not d.place_fallback or d.strong or \
                any(a.kind in ("person", "organization") for a in d.actors):
            out.append(d)          # anchored by the sentences around it, unambiguous, or naming who
            by_type.setdefault(d.type, []).append(d)
        # else: a general statement with nothing to anchor it ("repressions continue"): not an event
    out.sort(key=lambda d: d.trigger[0])
    return out


def to_mention(d: Draft, text: str, sents: list[Sentence], extractor: str) -> Mention:
    evidence = []
    for i in sorted(set(d.sentences))[:4]:
        s = sents[i]
        a, b = s.start, s.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        evidence.append(Span(a, b, text[a:b]))
    place = replace(d.place, span=None) if d.place else None
    date = DateValue(d.date.start, d.date.end) if d.date else None
    return Mention(type=d.type, subtype=d.subtype, evidence=tuple(evidence), date=date, place=place,
                   figures=tuple(d.figures), actors=tuple(d.actors), demands=tuple(d.demands),
                   extractor=extractor, confidence=1.0 if d.strong else 0.6)


# ---------------------------------------------------------------- statements and resolutions

STATEMENT = re.compile(r"резолюц\w*|петици\w*|заявлени\w*|обращени\w*|звернен\w*|резолюці\w*|петиці\w*|заяв[аиу]\b|"
                       r"resolution|petition|statement|open letter", re.I)
DATE_LINE_REST = re.compile(r"^[\s.,:;—–-]*(?:года|год|г|року|р|year)?[\s.,:;—–-]*$", re.I)


def statement_adopter(text: str, sents: list[Sentence], drafts: list[Draft], dates) -> Draft | None:
    """The gathering that adopted a resolution or statement printed in the document.

    It is the protest named within two sentences after the word "резолюция" / "resolution";
    if it has no date of its own, it takes the date the statement is signed with (a line
    that holds nothing but a date, after it).
    """
    marks = [i for i, s in enumerate(sents) if STATEMENT.search(s.text)]
    if not marks:
        return None
    claimants = [d for d in drafts if d.type in ("protest", "strike")]
    adopter = None
    for k in marks:
        near = [d for d in claimants if k <= d.sentences[0] <= k + 2]
        if near:
            adopter = min(near, key=lambda d: d.sentences[0])
            break
    if adopter is None:
        return None
    if adopter.date is None or not adopter.date_own:
        after = sents[marks[0]].start
        signed = None
        for dm in dates:
            if dm.span.start < after or not dm.start or len(dm.start) < 10:
                continue
            ls = text.rfind("\n", 0, dm.span.start) + 1
            le = text.find("\n", dm.span.end)
            le = len(text) if le < 0 else le
            if DATE_LINE_REST.match(text[ls:dm.span.start]) and DATE_LINE_REST.match(text[dm.span.end:le]):
                signed = dm
        if signed is not None:
            adopter.date, adopter.date_own = DateValue(signed.start, signed.end, signed.span), True
    return adopter



def date_lead(sents: list[Sentence], drafts: list[Draft], doc_date: str | None) -> None:
    """A news report's lead tells what is happening as it is published: collective action
    named in the first two paragraphs with no date of its own and none around it took place
    in the month of the document's date (the month only: the day is not known)."""
    if not doc_date or not sents:
        return
    first_paras = {sents[0].para, sents[0].para + 1}
    for d in drafts:
        if d.date is not None or d.type not in ("protest", "strike", "riot") or not d.strong:
            continue
        if sents[d.sentences[0]].para in first_paras:
            d.date = DateValue(doc_date[:7], None)
            d.date_context = True


def date_reactions(drafts: list[Draft]) -> None:
    """A dispersal or arrests told with no date, in a report of one dated gathering at the
    same place, happened at that gathering: they take its day."""
    days = {d.date.start for d in drafts
            if d.type in ("protest", "strike", "riot") and d.date_own and d.date and len(d.date.start or "") == 10}
    if len(days) != 1:
        return
    day = days.pop()
    anchor = next(d for d in drafts if d.date_own and d.date and d.date.start == day
                  and d.type in ("protest", "strike", "riot"))
    for d in drafts:
        if d.type not in ("crackdown", "detention") or d.date is not None:
            continue
        if d.place and anchor.place and (d.place.geonameid or d.place.name) != (anchor.place.geonameid or anchor.place.name):
            continue
        d.date, d.date_context = DateValue(day, None), True
