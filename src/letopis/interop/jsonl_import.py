"""Import an events-jsonl export of another letopis store: merge two teams' work.

Each mention of the file becomes a mention of a document (format ``letopis``) named like the
mention's ``doc``. The other team's documents are not in the file, only the evidence; the
document's text is therefore the original text with everything but the evidence blanked
out: each evidence text (of the mention, and of its figure reports) stands at its original
offsets and the rest is spaces. Offsets therefore stay those of the original document, and
``text[start:end] == evidence`` holds in both stores. Evidence that contradicts other
evidence of the same document (two texts claiming one offset) is appended after the
original length instead, with new offsets, and counted (``stats.skipped["relocated span"]``).

A document name that a document of this store already uses (one ingested here, or imported
from another file) is imported as ``<file stem>/<doc>`` so that the two stay distinct, and
counted as renamed. Re-importing the same file changes nothing. Afterwards the store is
linked again, so the imported mentions join this store's events by the linking rules.
What the export does not carry is restored where possible (place kind and geonameid from the
gazetteer) and otherwise defaulted (actor kind "group"; only the first figure of each kind).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from ..model import Actor, DateValue, Demand, Figure, Mention, Span
from ..store import Store
from ..store.schema import documents, sources
from .places import restore_place
from .rows import ImportFormatError, RowDocument, finish, row_sha, store_row
from .stats import ImportStats

EXTRACTOR = "import.letopis.v1"
MAX_TEXT = 50_000_000


def _span(d: dict) -> tuple[int, int, str] | None:
    try:
        s, e, t = int(d["start"]), int(d["end"]), d["text"]
    except (KeyError, TypeError, ValueError):
        return None
    return (s, e, t) if isinstance(t, str) and 0 <= s <= e and e - s == len(t) else None


def read_events(path: str | Path):
    p = Path(path)
    with p.open(encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                ev = json.loads(line)
            except ValueError as e:
                raise ImportFormatError(f"{p.name} line {n}: not JSON ({e})",
                                        hint="is this an events-jsonl export?") from e
            if not isinstance(ev, dict) or not isinstance(ev.get("mentions"), list) or "type" not in ev:
                raise ImportFormatError(f"{p.name} line {n}: not an event of events-jsonl",
                                        hint="expected keys id, type, mentions (see EVENTS.md)")
            yield ev


def collect(path: str | Path) -> dict[str, list[tuple[dict, dict]]]:
    """doc -> [(mention dict, its figure reports by kind)], in file order."""
    by_doc: dict[str, list] = defaultdict(list)
    for ev in read_events(path):
        reports = ev.get("figure_reports") or {}
        for m in ev["mentions"]:
            doc = m.get("doc")
            if not isinstance(doc, str) or not doc:
                continue
            mine = {k: [r for r in rs if r.get("doc") == doc] for k, rs in reports.items()}
            by_doc[doc].append((m, mine))
    return by_doc


def build_text(spans: list[tuple[int, int, str]]) -> tuple[str, dict, int]:
    """The blanked text holding every span; (text, relocation of moved spans, spans moved)."""
    length = max((e for _, e, _ in spans), default=0)
    if length > MAX_TEXT:
        raise ImportFormatError(f"evidence offsets up to {length} characters", hint="the file looks corrupt")
    chars, filled = [" "] * length, bytearray(length)
    moved: dict[tuple, tuple[int, int, str]] = {}
    tail: list[str] = []
    for s, e, t in sorted(set(spans)):
        if any(filled[i] and chars[i] != t[i - s] for i in range(s, e)):
            start = length + sum(len(x) for x in tail) + 1
            tail.append("\n" + t)
            moved[(s, e, t)] = (start, start + len(t), t)
            continue
        chars[s:e] = t
        filled[s:e] = b"\x01" * (e - s)
    return "".join(chars) + "".join(tail), moved, len(moved)


def _to_span(d: dict, moved: dict) -> Span | None:
    sp = _span(d)
    if sp is None:
        return None
    return Span(*moved.get(sp, sp))


def to_mention(m: dict, reports: dict, moved: dict) -> Mention | None:
    evidence = tuple(x for x in (_to_span(d, moved) for d in m.get("evidence") or ()) if x)
    if not evidence or not isinstance(m.get("type"), str):
        return None
    figures = []
    for kind, f in (m.get("figures") or {}).items():
        rep = next((r for r in reports.get(kind, []) if r.get("low") == f.get("low") and r.get("high") == f.get("high")), None)
        span = _to_span(rep["evidence"], moved) if rep and rep.get("evidence") else None
        figures.append(Figure(kind, f.get("low"), f.get("high"), span or evidence[0],
                              (rep or {}).get("attribution") or "unknown", (rep or {}).get("source")))
    return Mention(
        type=m["type"], subtype=m.get("subtype"), evidence=evidence,
        date=DateValue.from_dict(m.get("date")), place=restore_place(m.get("place")),
        figures=tuple(figures),
        actors=tuple(Actor(a["name"], a.get("role") or "other", a.get("kind") or "group")
                     for a in m.get("actors") or () if a.get("name")),
        demands=tuple(Demand(d.get("text") or "", d.get("category") or "other") for d in m.get("demands") or ()),
        extractor=EXTRACTOR, confidence=1.0)


def _clashes(store: Store, name: str, source_path: str) -> bool:
    """Whether a live document of this name exists that this import's source does not hold."""
    q = (select(documents.c.id).where(documents.c.name == name, documents.c.status.in_(("stored", "extracted")))
         .where(~documents.c.id.in_(select(sources.c.document_id).where(sources.c.path == source_path)
                                    .where(sources.c.document_id.is_not(None)))))
    with store.engine.connect() as conn:
        return conn.execute(q).first() is not None


def import_events_jsonl(store: Store, path: str | Path, *, access: str = "public",
                        link: bool = True) -> ImportStats:
    """Import another store's events-jsonl export into ``store``; idempotent."""
    p = Path(path)
    stats, stem = ImportStats(), p.stem
    for doc, items in collect(p).items():
        stats.rows += len(items)
        spans = [sp for m, reps in items for sp in (
            [_span(d) for d in m.get("evidence") or ()] +
            [_span(r.get("evidence") or {}) for rs in reps.values() for r in rs])]
        text, moved, n_moved = build_text([sp for sp in spans if sp])
        for _ in range(n_moved):
            stats.skip("relocated span")
        mentions = []
        for m, reps in items:
            mention = to_mention(m, reps, moved)
            if mention is None:
                stats.skip("mention without evidence")
            else:
                mentions.append(mention)
        if not mentions:
            continue
        mentions.sort(key=lambda x: (x.evidence[0].start, x.type))
        source_path = f"letopis:{p.name}#{doc}"
        name = doc
        if _clashes(store, doc, source_path):
            name = f"{stem}/{doc}"
            stats.renamed += 1
        rd = RowDocument(source_path, name, "letopis", row_sha("letopis", {"name": name, "text": text}), text,
                         {"dataset": "letopis", "file": p.name, "doc": doc}, language=None)
        store_row(store, rd, tuple(mentions), EXTRACTOR, stats, access)
    return finish(store, stats) if link else stats
