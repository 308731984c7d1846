"""Extraction: one document's text → its event mentions, each with evidence spans.

A pure function of one document (`extract_document`): no database, no global state
but per-process caches of read-only models and lexicons, picklable in and out, so it
runs in a process pool now and on a cluster later. Its components, each named and
versioned:

    text.segment.v1     same-length normalisation, front matter skipped, sentences
    events.rules.v1     triggers with context, negation and modality checks
    dates.rules.v1      absolute, relative and ranged dates
    figures.rules.v1    killed / injured / detained / participants, with attribution
    places.gazetteer.v1 places resolved through the offline gazetteer
    actors.ner.v1       natasha NER + group lexicon, with roles; signatories
    demands.rules.v1    claims and numbered demand lists, with categories
    assemble.v1         facts attached to triggers; one mention per event per document
"""
from __future__ import annotations

import re
import traceback

from ..model import DocumentInput, ExtractionResult, Mention, Place
from . import assemble as asm
from .actors import cyrillic_people, english_actors, group_actors, named_actors, signatories
from .placefilter import NerCache, confirm_places
from .landmarks import find_landmarks
from .demands import categorise_all, claims_in, listed_demands, load_demand_lexicon
from ..model import Demand, Span
from .lexicon import load_lexicon
from .text import body_start, normalise, script_language, sentences
from .triggers import find_triggers

COMPONENTS = ("text.segment.v1", "events.rules.v1", "dates.rules.v1", "figures.rules.v1",
              "places.gazetteer.v1", "actors.ner.v1", "demands.rules.v1", "assemble.v1")
def _rules_fingerprint() -> str:
    """A hash of the extractor's code and lexicons: a change to either re-extracts stored documents."""
    import hashlib
    from importlib import resources
    h = hashlib.sha1()
    for pkg in ("letopis.extract", "letopis.data"):
        root = resources.files(pkg)
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.name.endswith((".py", ".yaml", ".tsv", ".txt")) and entry.is_file():
                h.update(entry.name.encode())
                h.update(entry.read_bytes())
    return h.hexdigest()[:10]


EXTRACTOR_VERSION = "letopis.extract/1.0+" + _rules_fingerprint()
MAX_NER_CHARS = 200_000
# "several of the dead", "двое из задержанных": a part of a count, not a count
PARTITIVE = re.compile(r"\b(?:of the|of those|из|із|з числа|среди)\s+(?:dead|killed|injured|wounded|detained|arrested|"
                       r"погибших|убитых|раненых|пострадавших|задержанных|загиблих|поранених|затриманих)\b", re.I)
MAX_TRIGGERS = 20_000         # a document with more is not a report: its first 20,000 are read
INFER_DEMANDS = True       # NER runs on trigger sentences only, and at most this much per document

__all__ = ["extract_document", "EXTRACTOR_VERSION", "COMPONENTS"]


def extract_document(doc: DocumentInput) -> ExtractionResult:
    """Extract the event mentions of one document; never raises for a bad document."""
    try:
        mentions = tuple(_extract(doc))
        return ExtractionResult(doc.id, mentions, EXTRACTOR_VERSION)
    except Exception as e:  # one bad document must not stop the batch: record why
        tb = traceback.format_exc(limit=3)
        return ExtractionResult(doc.id, (), EXTRACTOR_VERSION,
                                error=f"[E040] extraction failed: {type(e).__name__}: {e}\n{tb}")


def _doc_country(doc: DocumentInput) -> Place | None:
    if not doc.country_hint:
        return None
    from .gazetteer import Gazetteer
    return Gazetteer.load().country(doc.country_hint)


def _country_place(code: str) -> Place | None:
    from .gazetteer import Gazetteer
    return Gazetteer.load().country(code)


def _extract(doc: DocumentInput) -> list[Mention]:
    from .dates import find_dates
    from .figures import find_figures
    from .places import find_places

    text = doc.text
    if not text.strip():
        return []
    work = normalise(text)
    start = body_start(work)
    lang = doc.language or script_language(work[start:])
    sents = sentences(work, start)
    lex = load_lexicon()
    triggers = find_triggers(lex, sents)[:MAX_TRIGGERS]
    if not triggers:
        return []
    body = work[start:]
    dates = [d for d in find_dates(work, doc_date=doc.date, lang=lang) if d.span.start >= start]
    figures = [f for f in find_figures(work, [(s.start, s.end) for s in sents], lang=lang)
               if f.span.start >= start and not PARTITIVE.search(f.span.text)]
    places = [(sp, p) for sp, p in find_places(work, lang=lang) if sp.start >= start]
    ner = NerCache(work, sents, lang)
    places = confirm_places(work, sents, places, ner, also={t.sentence for t in triggers})
    marks = find_landmarks(work, start, cyrillic=lang in ("ru", "uk", "be", "kk"))
    if marks:
        places = [(sp, p) for sp, p in places
                  if not any(m.start < sp.end and sp.start < m.end for m, _ in marks)] + marks
        places.sort(key=lambda x: x[0].start)
    country = _doc_country(doc)
    if country and places:
        places = [(sp, p) for sp, p in places if p.country == country.country] or places
    trig_sents = {t.sentence for t in triggers}
    fallback = asm.main_place(places, trig_sents, sents) or country
    drafts = asm.assemble(work, sents, triggers, dates, figures, places, fallback, country_of=_country_place)
    asm.date_lead(sents, drafts, doc.date)
    asm.date_reactions(drafts)
    _add_actors(work, sents, drafts, ner)
    adopter = asm.statement_adopter(work, sents, drafts, dates)
    _add_demands(work, start, sents, drafts, adopter)
    _add_signatories(work, start, sents, drafts)
    merged = asm.merge_drafts(drafts, work)
    if not any(d.strong for d in merged):
        return []        # only weak signals (an arrest, a court case) with no civic event: out of scope
    # the texts we analysed and the original differ only in look-alike letters: slice the original
    _ = body
    return [asm.to_mention(d, text, sents, EXTRACTOR_VERSION) for d in merged]


def _add_actors(text: str, sents, drafts, ner: "NerCache") -> None:
    groups: dict[tuple[int, str], list] = {}
    for d in drafts:
        i = d.sentences[0]
        s = sents[i]
        key = (i, d.type)
        if key not in groups:
            groups[key] = group_actors(text, s.start, s.end, d.type)
        d.actors.extend(groups[key])
        ents = ner.entities(i)
        if ents:
            d.actors.extend(named_actors(ents, text, s.start, d.type))
        elif ner.lang == "en":
            d.actors.extend(english_actors(text, s.start, s.end, d.type))
        elif not ner.enabled:
            d.actors.extend(cyrillic_people(text, s.start, s.end, d.type))


def _add_demands(text: str, start: int, sents, drafts, adopter=None) -> None:
    lex = load_demand_lexicon()
    claimants = [d for d in drafts if d.type in ("protest", "strike")]
    if not claimants:
        return
    for d in claimants:
        s = sents[d.sentences[0]]
        d.demands.extend(claims_in(text, s.start, s.end, lex))
    for heading, items in listed_demands(text, start, lex):
        before = [d for d in claimants if d.trigger[0] <= heading]
        target = before[-1] if before else claimants[0]
        # a resolution's demands belong to the gathering that adopted it: prefer a picket or rally
        framed = [d for d in before if d.subtype in ("picket", "rally", "march")]
        if adopter is not None:
            target = adopter
        elif framed:
            target = framed[-1]
        target.demands.extend(items)
    for d in claimants if INFER_DEMANDS else ():
        if not d.demands:
            # no claim is spelled out: read it from the words around the action
            s = sents[d.sentences[0]]
            a, b = s.start, s.end
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            b = min(b, a + 300)
            for cat in categorise_all(text[a:b], lex, limit=1) or ["political_behavior_process"]:
                d.demands.append(Demand(text[a:b], cat, Span(a, b, text[a:b])))


def _add_signatories(text: str, start: int, sents, drafts) -> None:
    for heading, orgs in signatories(text, start):
        cands = [d for d in drafts if d.type in ("protest", "strike") and d.trigger[0] <= heading + 200]
        if not cands:
            continue
        target = min(cands, key=lambda d: abs(d.trigger[0] - heading))
        names = {a.name for a in target.actors}
        target.actors.extend(a for a in orgs if a.name not in names)
