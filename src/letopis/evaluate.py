"""Score an events-jsonl export against gold annotations (EVENTS.md, "How results are scored").

    python -m letopis.evaluate --gold GOLD.jsonl --system EVENTS.jsonl --docs DIR [--errors N] [--json OUT]

Metrics:

- event P/R/F1: a system mention matches a gold event of the same document when
  the types are equal and the dates or the places agree; one-to-one, best pairs
  first (date and place agree > date agrees > place agrees);
- relevance P/R/F1: does the document report any in-scope event at all;
- field accuracy over matched pairs: date (start, at gold's precision), place
  (30 km, or the name rule when coordinates are missing), country, each figure
  (low and high both equal); demand categories as a set P/R/F1;
- linking: pairwise P/R/F1 over matched mentions in different documents;
- evidence validity: the share of spans whose ``text`` equals the document text
  at ``[start:end]``.

Gold rows with an ``mm`` key (Mass Mobilization records) are scored by their
coded responses, demands, country and participants instead of by events.

The numbers agree with ``../shared/tools/score.py`` for ``.md`` and ``.txt``
documents. For other formats (HTML, PDF) the evidence refers to the text that
letopis extracted, which is not the file's bytes: pass ``text_loader`` to check
those spans; without it they are counted as unchecked, not as invalid.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

from letopis.model import EVENT_TYPES, FIGURE_KINDS, ROLES

PLACE_KM = 30.0
TEXT_SUFFIXES = (".md", ".txt")
EVENT_KEYS = ("id", "type", "date", "place", "actors", "figures", "demands", "mentions")
MERGED_KEYS = ("type", "date", "place", "figures", "demands")
MM_PROTEST_TYPES = {"protest", "strike", "riot"}
MM_RESPONSE_TYPES = {"detention", "crackdown", "concession"}

TextLoader = Callable[[Path], "str | None"]


# ------------------------------------------------------------------ small helpers

def read_jsonl(path: str | Path) -> list[dict]:
    """One JSON object per non-blank line."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def parse_date(value) -> tuple[int, ...] | None:
    """'2011-12-16' -> (2011, 12, 16); '2011' -> (2011,); anything else -> None."""
    if not isinstance(value, str):
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    return tuple(int(g) for g in m.groups() if g) if m else None


def date_range(record: dict | None) -> tuple:
    d = (record or {}).get("date") or {}
    if isinstance(d, str):
        return parse_date(d), None
    return parse_date(d.get("start")), parse_date(d.get("end"))


def dates_agree(gold: tuple, system: tuple) -> bool:
    """One start contains the other at the coarser precision, or the system start lies in gold's range."""
    g_start, g_end = gold
    s_start = system[0]
    if not g_start or not s_start:
        return False
    common = min(len(g_start), len(s_start))
    if g_start[:common] == s_start[:common]:
        return True
    if g_end:
        k = min(len(g_end), len(s_start))
        return g_start[:k] <= s_start[:k] <= g_end[:k]
    return False


def date_correct(gold: tuple, system: tuple) -> bool | None:
    """None when gold has no date; a system date less precise than gold's is wrong."""
    g, s = gold[0], system[0]
    if not g:
        return None
    return bool(s) and len(s) >= len(g) and s[:len(g)] == g


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = (math.radians(x) for x in (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def place_coords(place: dict) -> tuple[float, float] | None:
    try:
        lat, lon = place.get("lat"), place.get("lon")
        return None if lat is None or lon is None else (float(lat), float(lon))
    except (AttributeError, TypeError, ValueError):
        return None


def _plain(name) -> str:
    return re.sub(r"[^\w]+", " ", (name or "").lower().replace("ё", "е")).strip()


def same_name(a, b) -> bool:
    """Equal after normalising, or inflected forms: a common prefix of at least
    max(4, shorter length - 2) characters, for names of 4+ characters."""
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter = min(len(a), len(b))
    prefix = len(os.path.commonprefix([a, b]))
    return shorter >= 4 and prefix >= max(4, shorter - 2)


def places_agree(gold: dict | None, system: dict | None) -> bool:
    if not gold or not system:
        return False
    g_xy, s_xy = place_coords(gold), place_coords(system)
    if g_xy and s_xy:
        return distance_km(g_xy, s_xy) <= PLACE_KM
    g_names = [gold.get("name"), gold.get("name_en"), *(gold.get("aliases") or [])]
    return any(same_name(g, s) for g in g_names for s in (system.get("name"), system.get("name_en")))


def figure_range(record: dict | None, kind: str) -> tuple | None:
    fig = ((record or {}).get("figures") or {}).get(kind)
    return (fig.get("low"), fig.get("high")) if isinstance(fig, dict) else None


def demand_categories(record: dict | None) -> set:
    return {d.get("category") for d in (record or {}).get("demands") or [] if isinstance(d, dict)}


# ------------------------------------------------------------------ system side

def mentions_by_doc(events: Iterable[dict], problems: Counter) -> dict[str, list]:
    """doc file name -> [(event id, mention with the event's values filling its gaps)]."""
    out: dict[str, list] = defaultdict(list)
    for event in events:
        problems.update(f"event without '{k}'" for k in EVENT_KEYS if k not in event)
        if event.get("type") not in EVENT_TYPES:
            problems[f"unknown type {event.get('type')!r}"] += 1
        problems.update("actor without a known role" for a in event.get("actors") or []
                        if not isinstance(a, dict) or a.get("role") not in ROLES)
        for mention in event.get("mentions") or []:
            problems.update(f"mention without '{k}'" for k in ("doc", "evidence") if k not in mention)
            merged = {k: event.get(k) if mention.get(k) in (None, [], {}) else mention.get(k)
                      for k in MERGED_KEYS}
            merged["evidence"] = mention.get("evidence") or []
            out[os.path.basename(str(mention.get("doc", "")))].append((event.get("id"), merged))
    return out


def match_mentions(gold_events: list[dict], mentions: list) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, strongest agreement first, then document order."""
    scored = []
    for gi, g in enumerate(gold_events):
        g_date, g_place = date_range(g), g.get("place")
        unanchored = not g_date[0] and not g_place
        for si, (_, s) in enumerate(mentions):
            if s.get("type") != g.get("type"):
                continue
            by_date, by_place = dates_agree(g_date, date_range(s)), places_agree(g_place, s.get("place"))
            if by_date or by_place or unanchored:
                scored.append((-(2 * by_date + by_place), gi, si))
    pairs, seen_g, seen_s = [], set(), set()
    for _, gi, si in sorted(scored):
        if gi not in seen_g and si not in seen_s:
            seen_g.add(gi)
            seen_s.add(si)
            pairs.append((gi, si))
    return pairs


def document_paths(docs_dirs) -> dict[str, Path]:
    if isinstance(docs_dirs, (str, os.PathLike)):
        docs_dirs = [docs_dirs]
    paths: dict[str, Path] = {}
    for folder in docs_dirs or []:
        for root, _, files in os.walk(folder):
            for name in files:
                paths.setdefault(name, Path(root) / name)
    return paths


def plain_text(path: Path) -> str | None:
    """The evidence text of a .md/.txt document: the whole file; other formats are not checked."""
    return path.read_text(encoding="utf-8") if path.suffix.lower() in TEXT_SUFFIXES else None


# ------------------------------------------------------------------ scoring

def score(gold_rows: Iterable[dict], events: Iterable[dict], docs_dir,
          text_loader: TextLoader | None = None, show_errors: int = 0) -> dict:
    """Score system ``events`` (events-jsonl objects) against ``gold_rows`` (gold JSONL objects).

    ``docs_dir`` is a folder (or a list of folders) holding the documents, used
    for evidence validity. ``text_loader(path)`` gives a document's evidence
    text, or None to leave its spans unchecked (default: .md/.txt only).
    """
    problems: Counter = Counter()
    system = mentions_by_doc(events, problems)
    gold = {os.path.basename(row["doc"]): row for row in gold_rows}
    counts: Counter = Counter()
    fields: dict[str, list[int]] = defaultdict(lambda: [0, 0])      # name -> [correct, total]
    sets: dict[str, Counter] = defaultdict(Counter)                  # name -> tp/fp/fn
    by_type: dict[str, Counter] = defaultdict(Counter)
    linked: list[tuple] = []                                         # (doc, cluster, event id)
    errors: list[str] = []

    for doc in sorted(gold):
        row, mentions = gold[doc], system.get(doc, [])
        if "mm" in row:
            _score_mm(row["mm"], mentions, sets, fields)
            continue
        relevant, found = bool(row.get("relevant")), bool(mentions)
        counts["rel_tp"] += relevant and found
        counts["rel_fp"] += found and not relevant
        counts["rel_fn"] += relevant and not found
        gold_events = row.get("events") or []
        pairs = match_mentions(gold_events, mentions)
        counts["tp"] += len(pairs)
        counts["fp"] += len(mentions) - len(pairs)
        counts["fn"] += len(gold_events) - len(pairs)
        hit_g, hit_s = {gi for gi, _ in pairs}, {si for _, si in pairs}
        for gi, g in enumerate(gold_events):
            by_type[g.get("type")]["tp" if gi in hit_g else "fn"] += 1
            if gi not in hit_g:
                errors.append(f"missed   {doc}: {_brief(g)}")
        for si, (_, s) in enumerate(mentions):
            if si not in hit_s:
                by_type[s.get("type")]["fp"] += 1
                errors.append(f"spurious {doc}: {_brief(s)}")
        for gi, si in pairs:
            event_id, s = mentions[si]
            linked.append((doc, gold_events[gi].get("cluster"), event_id))
            _score_fields(doc, gold_events[gi], s, fields, sets, errors)

    _check_evidence(system, document_paths(docs_dir), text_loader or plain_text, counts)
    links = _link_pairs(linked)
    return {
        "event": {**prf(counts["tp"], counts["fp"], counts["fn"]),
                  "tp": counts["tp"], "fp": counts["fp"], "fn": counts["fn"]},
        "relevance": prf(counts["rel_tp"], counts["rel_fp"], counts["rel_fn"]),
        "by_type": {t: {**prf(c["tp"], c["fp"], c["fn"]), "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}
                    for t, c in sorted(by_type.items(), key=lambda kv: str(kv[0]))},
        "fields": {k: {"acc": ok / n if n else None, "n": n} for k, (ok, n) in sorted(fields.items())},
        "linking": {**prf(links["tp"], links["fp"], links["fn"]),
                    "tp": links["tp"], "fp": links["fp"], "fn": links["fn"]},
        "evidence_valid": counts["ev_ok"] / counts["ev_total"] if counts["ev_total"] else None,
        "mentions_without_evidence": counts["ev_missing"],
        "evidence_unchecked": counts["ev_unchecked"],
        "mm": {k: prf(c["tp"], c["fp"], c["fn"]) for k, c in sorted(sets.items())},
        "schema_problems": dict(problems),
        "errors": errors[:show_errors] if show_errors else [],
    }


def _brief(record: dict) -> str:
    return f"{record.get('type')} {record.get('date')} {(record.get('place') or {}).get('name')}"


def _score_fields(doc, g: dict, s: dict, fields, sets, errors) -> None:
    ok = date_correct(date_range(g), date_range(s))
    if ok is not None:
        _tick(fields, "date", ok)
    g_place, s_place = g.get("place"), s.get("place") or {}
    if g_place:
        _tick(fields, "place", places_agree(g_place, s_place))
        if g_place.get("country"):
            _tick(fields, "country", (s_place.get("country") or "").upper() == g_place["country"].upper())
    for kind in FIGURE_KINDS:
        want = figure_range(g, kind)
        if want:
            got = figure_range(s, kind)
            _tick(fields, kind, got == want)
            if got != want:
                errors.append(f"figure   {doc}: {g.get('type')} {kind} gold={want} system={got}")
    g_dem, s_dem = demand_categories(g), demand_categories(s)
    if g_dem or s_dem:
        _add_sets(sets["demands (news)"], g_dem, s_dem)


def _tick(fields, name: str, ok: bool) -> None:
    fields[name][0] += bool(ok)
    fields[name][1] += 1


def _add_sets(tally: Counter, gold: set, system: set) -> None:
    tally["tp"] += len(gold & system)
    tally["fp"] += len(system - gold)
    tally["fn"] += len(gold - system)


def _check_evidence(system, paths: dict[str, Path], loader: TextLoader, counts: Counter) -> None:
    for doc, mentions in system.items():
        if doc not in paths:
            continue
        text = loader(paths[doc])
        for _, mention in mentions:
            spans = mention["evidence"]
            counts["ev_missing"] += not spans
            if text is None:
                counts["ev_unchecked"] += len(spans)
                continue
            for span in spans:
                counts["ev_total"] += 1
                try:
                    counts["ev_ok"] += text[int(span["start"]):int(span["end"])] == span["text"]
                except (KeyError, TypeError, ValueError):
                    pass


def _link_pairs(linked: list[tuple]) -> Counter:
    """Pairs of matched mentions from different documents: same cluster vs same event id."""
    pairs: Counter = Counter()
    for i, (doc1, cl1, id1) in enumerate(linked):
        for doc2, cl2, id2 in linked[i + 1:]:
            if doc1 == doc2:
                continue
            gold_same = cl1 is not None and cl1 == cl2
            system_same = id1 is not None and id1 == id2
            if gold_same and system_same:
                pairs["tp"] += 1
            elif system_same:
                pairs["fp"] += 1
            elif gold_same:
                pairs["fn"] += 1
    return pairs


# ------------------------------------------------------------------ Mass Mobilization rows

def mm_participant_count(raw) -> int | None:
    """The MM coders' participants text as a number: '50+', '>1000', '100s' (= 200); else None."""
    text = (raw or "").lower().replace(",", "").strip()
    m = re.fullmatch(r"[>+about ]*(\d+)\+?", text)
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"(\d+)s", text)
    return int(m.group(1)) * 2 if m else None


def _score_mm(coded: dict, mentions: list, sets, fields) -> None:
    found = [s for _, s in mentions]
    _tick(fields, "mm protest found", bool({s.get("type") for s in found} & MM_PROTEST_TYPES))
    responses = {s["type"] for s in found if s.get("type") in MM_RESPONSE_TYPES}
    if any((k := figure_range(s, "killed")) and ((k[0] or 0) >= 1 or (k[1] or 0) >= 1) for s in found):
        responses.add("killing")
    _add_sets(sets["mm responses"], set(coded.get("responses") or []), responses)
    _add_sets(sets["mm demands"], set(coded.get("demands") or []),
              set().union(*(demand_categories(s) for s in found)))
    if coded.get("country"):
        countries = {((s.get("place") or {}).get("country") or "").upper() for s in found}
        _tick(fields, "mm country", coded["country"].upper() in countries)
    wanted = mm_participant_count(coded.get("participants"))
    if wanted:
        reported = next((figure_range(s, "participants") for s in found
                         if figure_range(s, "participants") and s.get("type") in MM_PROTEST_TYPES), None)
        _tick(fields, "mm participants", _near(reported, wanted))


def _near(reported: tuple | None, wanted: int) -> bool:
    """The coded count lies in the reported range, or within 25% of its midpoint."""
    if not reported:
        return False
    low, high = reported
    low, high = (high if low is None else low), (low if high is None else high)
    if low is None:
        return False
    return low <= wanted <= high or abs((low + high) / 2 - wanted) <= 0.25 * wanted


# ------------------------------------------------------------------ report and CLI

def _num(value, fmt: str = ".3f") -> str:
    return "n/a" if value is None else format(value, fmt)


def format_report(result: dict) -> str:
    """The scores as aligned text; the last line is a one-line summary."""
    ev, rel, link = result["event"], result["relevance"], result["linking"]
    lines = [f"events      P={ev['p']:.3f} R={ev['r']:.3f} F1={ev['f1']:.3f}  "
             f"(tp={ev['tp']} fp={ev['fp']} fn={ev['fn']})",
             f"relevance   P={rel['p']:.3f} R={rel['r']:.3f} F1={rel['f1']:.3f}"]
    for name, v in result["by_type"].items():
        lines.append(f"  {str(name):12s} P={v['p']:.3f} R={v['r']:.3f} F1={v['f1']:.3f}  "
                     f"(tp={v['tp']} fp={v['fp']} fn={v['fn']})")
    for name, v in result["fields"].items():
        lines.append(f"field {name:18s} acc={_num(v['acc'])}  (n={v['n']})")
    for name, v in result["mm"].items():
        lines.append(f"set   {name:18s} P={v['p']:.3f} R={v['r']:.3f} F1={v['f1']:.3f}")
    lines.append(f"linking     P={link['p']:.3f} R={link['r']:.3f} F1={link['f1']:.3f}  "
                 f"(pairs tp={link['tp']} fp={link['fp']} fn={link['fn']})")
    lines.append(f"evidence    valid={_num(result['evidence_valid'])}  "
                 f"mentions without evidence={result['mentions_without_evidence']}  "
                 f"unchecked spans={result['evidence_unchecked']}")
    lines.extend(f"schema      {k}: {v}" for k, v in result["schema_problems"].items())
    lines.extend(result["errors"])
    acc = {k: _num((result["fields"].get(k) or {}).get("acc")) for k in ("date", "place")}
    lines.append(f"summary event_f1={ev['f1']:.3f} relevance_f1={rel['f1']:.3f} "
                 f"linking_f1={link['f1']:.3f} date_acc={acc['date']} place_acc={acc['place']} "
                 f"evidence_valid={_num(result['evidence_valid'])} "
                 f"schema_problems={sum(result['schema_problems'].values())}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m letopis.evaluate", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: python -m letopis.evaluate --gold tests/fixtures/sample_gold.jsonl "
               "--system events.jsonl --docs examples/corpus")
    ap.add_argument("--gold", action="append", required=True, help="gold JSONL (repeatable)")
    ap.add_argument("--system", required=True, help="events-jsonl export; '-' for stdin")
    ap.add_argument("--docs", action="append", default=[], help="folder with the documents (repeatable)")
    ap.add_argument("--json", help="also write the scores as JSON to this file")
    ap.add_argument("--errors", type=int, default=0, help="list up to N missed/spurious events and wrong figures")
    args = ap.parse_args(argv)
    gold = [row for path in args.gold for row in read_jsonl(path)]
    if args.system == "-":
        events = [json.loads(line) for line in sys.stdin if line.strip()]
    else:
        events = read_jsonl(args.system)
    result = score(gold, events, args.docs, show_errors=args.errors)
    print(format_report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
