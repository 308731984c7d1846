"""The `letopis` command. Library functions do the work and raise; this module prints and exits.

Exit status: 0 done, 1 something failed (a file, a document, a lookup), 2 bad usage.
Data goes to stdout, progress and messages to stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Callable, TextIO

from . import __version__
from .errors import LetopisError, UsageError

ACCESS = ("public", "restricted", "confidential")


class ProgressBar:
    """A progress bar on stderr: redrawn in place on a terminal, one closing line otherwise."""

    def __init__(self, label: str, enabled: bool = True, stream: TextIO | None = None):
        self.label, self.enabled = label, enabled
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        if self.tty:
            filled = int(30 * done / total)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
            self.shown = True
            if done >= total:
                self.close()
        elif done >= total:
            self.stream.write(f"{self.label}: {done}/{total}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _out(text: str) -> None:
    sys.stdout.write(text)


def _report(lines, more: str, limit: int = 50) -> None:
    """Failure lines on stderr, at most ``limit`` of them; the store keeps them all."""
    n = 0
    for n, line in enumerate(lines, 1):
        if n <= limit:
            print(line, file=sys.stderr)
    if n > limit:
        print(f"... and {n - limit} more: {more}", file=sys.stderr)


def _first_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else ""


def _reason(code: str | None, message: str | None) -> str:
    message = _first_line(message)
    return message if message.startswith("[E") else f"[{code}] {message}"


# ----------------------------------------------------------------- commands

def cmd_ingest(args, settings) -> int:
    from . import pipeline
    from .ingest import FieldNames, IngestOptions, ingest_paths
    from .store import open_store
    opts = IngestOptions(access=args.access or settings.access,
                         max_bytes=args.max_bytes or settings.max_file_bytes,
                         fields=FieldNames(args.text_field, args.title_field, args.date_field, args.url_field),
                         languages=settings.language_candidates)
    store = open_store(args.db)
    try:
        bar = ProgressBar("ingest", enabled=not args.quiet)
        try:
            stats = ingest_paths(store, args.paths, opts, progress=bar)
        finally:
            bar.close()
        _report((f"warning: {name}: [E030] {problem} (text kept)" for name, problem in stats.warnings),
                f"see `letopis docs --db {args.db}`")
        _report((f"failed: {name}: {message}" for name, _code, message in stats.failures),
                f"see `letopis docs --db {args.db} --failed`")
        status = 1 if stats.failed else 0
        if not args.no_extract:
            bar = ProgressBar("extract", enabled=not args.quiet)
            try:
                es = pipeline.extract_pending(store, workers=args.workers or settings.workers, progress=bar)
            finally:
                bar.close()
            ls = pipeline.link(store)
            _report((f"extraction failed: document {doc_id}: {_first_line(error)}" for doc_id, error in es.errors),
                    f"see `letopis docs --db {args.db}`")
            _out(f"extracted {es.documents} documents / mentions {es.mentions} / events {ls.events}"
                 + (f" / extraction failed {es.failed}" if es.failed else "") + "\n")
            status = 1 if es.failed else status
        _out(stats.summary() + "\n")
        return status
    finally:
        store.close()


def _cell(v) -> str:
    return "" if v is None else str(v).replace("\n", " ")


def _table(rows: list[list], header: list[str], widths: dict[int, int] | None = None) -> str:
    widths = widths or {}
    cells = [[_cell(c) for c in r] for r in [header, *rows]]
    for r in cells:
        for i, limit in widths.items():
            if len(r[i]) > limit:
                r[i] = r[i][:limit - 1] + "…"
    size = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "".join("  ".join(c.ljust(size[i]) for i, c in enumerate(r)).rstrip() + "\n" for r in cells)


def cmd_docs(args, settings) -> int:
    from .store import open_store
    from .store.documents import failed_sources, list_documents
    store = open_store(args.db)
    try:
        failed = list(failed_sources(store))
        docs = [] if args.failed else list(list_documents(store))
        if not args.failed:
            failed = [f for f in failed if f["document_id"] is None]
        if args.json:
            for d in docs:
                _out(json.dumps(d, ensure_ascii=False) + "\n")
            for f in failed:
                _out(json.dumps({"source": f["name"], "path": f["path"], "status": "failed",
                                 "document_id": f["document_id"], "error_code": f["error_code"],
                                 "error": f["error"]}, ensure_ascii=False) + "\n")
            return 0
        rows = [[d["id"], d["status"], d["format"], d["language"], d["access"], d["date"], d["name"],
                 _reason(d["error_code"], d["error"]) if d["error"] else
                 (f"[E030] metadata: {d['meta_error']}" if d["meta_error"] else d["title"])] for d in docs]
        rows += [[f["document_id"] or "-", "failed", "", "", "", "", f["name"],
                  _reason(f["error_code"], f["error"])] for f in failed]
        if rows:
            _out(_table(rows, ["id", "status", "format", "lang", "access", "date", "name", "title / reason"],
                        {6: 60, 7: 90}))
        print(f"{len(failed)} failed sources" if args.failed else
              f"{len(docs)} documents, {len(failed)} failed sources without a document", file=sys.stderr)
        return 0
    finally:
        store.close()


def cmd_doc(args, settings) -> int:
    from .store import open_store
    from .store.documents import get_document
    store = open_store(args.db)
    try:
        d = get_document(store, args.id)
    finally:
        store.close()
    if args.raw:
        sys.stdout.flush()
        sys.stdout.buffer.write(d["raw"] or b"")
        sys.stdout.buffer.flush()
    elif args.text:
        sys.stdout.flush()
        sys.stdout.buffer.write((d["text"] or "").encode("utf-8"))
        sys.stdout.buffer.flush()
    elif args.meta:
        _out(json.dumps(d["meta"], ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    else:
        for key in ("id", "name", "status", "format", "language", "access", "date", "title", "sha256",
                    "previous_id", "extractor", "error_code", "error", "meta_error"):
            if d.get(key) is not None:
                _out(f"{key}: {d[key]}\n")
        _out(f"sources: {', '.join(d['sources']) or '-'}\n")
        text = d["text"] or ""
        _out(f"text: {len(text)} characters\n\n{text[:600]}{'…' if len(text) > 600 else ''}\n")
    return 0


def _figures(figs: dict | None) -> str:
    out = []
    for kind, f in (figs or {}).items():
        if not f:
            continue
        lo, hi = f.get("low"), f.get("high")
        rng = str(lo) if lo == hi else f"{'' if lo is None else lo}–{'' if hi is None else hi}"
        out.append(f"{kind} {rng}")
    return ", ".join(out)


def cmd_events(args, settings) -> int:
    from .export.events_jsonl import iter_events
    from .store import open_store
    store = open_store(args.db)
    try:
        events = iter_events(store, clearance=args.clearance or settings.clearance, type=args.type,
                             country=args.country, date_from=args.date_from, date_to=args.date_to)
        events = (e for e in events if _event_matches(e, args))
        if args.json:
            n = 0
            for e in events:
                _out(json.dumps(e, ensure_ascii=False) + "\n")
                n += 1
            return 0
        rows = []
        for e in events:
            date = e.get("date") or {}
            when = (date.get("start") or "") + (f"…{date['end']}" if date.get("end") else "")
            place = e.get("place") or {}
            where = ", ".join(x for x in (place.get("name"), place.get("country")) if x)
            kind = e["type"] + (f"/{e['subtype']}" if e.get("subtype") else "")
            docs = sorted({m.get("doc") for m in e.get("mentions") or [] if m.get("doc")})
            rows.append([e["id"], kind, when, where, _figures(e.get("figures")), len(docs),
                         ", ".join(docs)])
        if rows:
            _out(_table(rows, ["id", "type", "date", "place", "figures", "docs", "documents"],
                        {3: 30, 4: 50, 6: 60}))
        print(f"{len(rows)} events", file=sys.stderr)
        return 0
    finally:
        store.close()


FIGURE_FILTERS = ("killed", "injured", "detained", "participants")


def _event_matches(e: dict, args) -> bool:
    """The filters `events` applies to a canonical view: place, actor, figure thresholds."""
    from .link.translit import actor_key, name_key
    if getattr(args, "place", None):
        p = e.get("place") or {}
        want = name_key(args.place)
        if not any(x and (x.lower() == args.place.lower() or name_key(x) == want)
                   for x in (p.get("name"), p.get("name_en"))):
            return False
    if getattr(args, "actor", None):
        keys = {actor_key(args.actor, "person"), name_key(args.actor)}
        names = [a["name"] for m in e.get("mentions") or [] for a in m.get("actors") or []]
        names += [a["name"] for a in e.get("actors") or []]
        if not any(args.actor.lower() in n.lower() or {actor_key(n, "person"), name_key(n)} & keys
                   for n in names):
            return False
    for kind in FIGURE_FILTERS:
        limit = getattr(args, f"min_{kind}", None)
        if limit is not None:
            f = (e.get("figures") or {}).get(kind) or {}
            value = max((v for v in (f.get("best"), f.get("high"), f.get("low")) if v is not None), default=None)
            if value is None or value < limit:
                return False
    return True


def cmd_link(args, settings) -> int:
    from .link import link_store
    from .store import open_store
    store = open_store(args.db)
    try:
        st = link_store(store, full=args.full)
    finally:
        store.close()
    _out(f"linked {st.mentions} mentions / events written {st.written} / events {st.events}\n")
    return 0


def _relink_after(store, what: str) -> None:
    from .link import link_store
    st = link_store(store)
    print(f"{what}; re-linked {st.mentions} mentions, events {st.events}", file=sys.stderr)


def cmd_merge(args, settings) -> int:
    from .link.decisions import record_merge
    from .store import open_store
    store = open_store(args.db)
    try:
        record_merge(store, args.event, args.other, args.who)
        _relink_after(store, f"merged {args.other} into {args.event} (decided by {args.who})")
    finally:
        store.close()
    return 0


def cmd_split(args, settings) -> int:
    from .link.decisions import record_split
    from .store import open_store
    store = open_store(args.db)
    try:
        new = record_split(store, args.event, args.mention, args.who)
        _relink_after(store, f"split {len(args.mention)} mention(s) of {args.event} (decided by {args.who})")
    finally:
        store.close()
    _out(new + "\n")
    return 0


def cmd_correct(args, settings) -> int:
    from .link.decisions import record_correct
    from .store import open_store
    store = open_store(args.db)
    try:
        record_correct(store, args.event, args.field, args.value, args.who)
        _relink_after(store, f"corrected {args.field} of {args.event} (decided by {args.who})")
    finally:
        store.close()
    return 0


def cmd_show(args, settings) -> int:
    from .errors import NotFoundError
    from .export.events_jsonl import iter_events
    from .link.entities import list_entities
    from .store import open_store
    store = open_store(args.db)
    try:
        ev = next(iter_events(store, clearance=args.clearance or settings.clearance, event_id=args.event), None)
        if ev is None:
            raise NotFoundError(f"no event {args.event} visible at this clearance", hint="see `letopis events`")
        ents = list_entities(store, event_ids=[args.event])
        with store.engine.connect() as conn:
            from sqlalchemy import select
            from .store.schema import documents, mentions
            idx = {(r.name, r.data): r.idx for r in conn.execute(
                select(documents.c.name, mentions.c.idx, mentions.c.data)
                .join(documents, documents.c.id == mentions.c.document_id)
                .where(mentions.c.event_id == args.event))}
    finally:
        store.close()
    if args.json:
        ev["entities"] = ents
        _out(json.dumps(ev, ensure_ascii=False, indent=2) + "\n")
        return 0
    _out(_show_text(ev, ents, idx))
    return 0


def _show_text(ev: dict, ents: list[dict], idx: dict) -> str:
    date = ev.get("date") or {}
    place = ev.get("place") or {}
    lines = [f"{ev['id']}  {ev['type']}" + (f"/{ev['subtype']}" if ev.get("subtype") else ""),
             f"date: {date.get('start') or '-'}" + (f" … {date['end']}" if date.get("end") else ""),
             "place: " + (", ".join(str(x) for x in (place.get("name"), place.get("name_en"), place.get("country"))
                                    if x) or "-"),
             f"types given: {', '.join(f'{t} {n}' for t, n in (ev.get('types') or {}).items())}",
             f"figures: {_figures(ev.get('figures')) or '-'}"]
    if ev.get("actors"):
        lines.append("actors: " + "; ".join(f"{a['name']} ({a['role']})" for a in ev["actors"]))
    lines.append("")
    lines.append("figure reports:")
    for kind, reps in (ev.get("figure_reports") or {}).items():
        for r in reps:
            lines.append(f"  {kind:12} {_figures({kind: r}).split(' ', 1)[-1]:>10}  {r.get('attribution')}"
                         f"  {r['doc']}  «{r.get('text')}»" + (f"  ({r['source']})" if r.get("source") else ""))
    lines.append("")
    lines.append("sources:")
    rows = []
    for m in ev.get("mentions") or []:
        d = (m.get("date") or {}).get("start") or ""
        p = (m.get("place") or {}).get("name") or ""
        quote = " … ".join(s["text"] for s in m.get("evidence") or [])
        rows.append([m["doc"], m["type"], d, p, _figures(m.get("figures")), quote])
    lines.append(_table(rows, ["document", "type", "date", "place", "figures", "quote"], {0: 40, 5: 100}).rstrip())
    if ev.get("decisions"):
        lines.append("")
        lines.append("decisions:")
        for d in ev["decisions"]:
            what = f"{d.get('field')} = {json.dumps(d.get('value'), ensure_ascii=False)}" if d["kind"] == "correct" else ""
            lines.append(f"  {d['at']}  {d['kind']}  {what}  by {d['who']}".replace("   ", "  "))
    if ents:
        lines.append("")
        lines.append("entities:")
        for e in ents:
            lines.append(f"  {e['id']}  {e['kind']:12}  {e['name']}  ({', '.join(e['aliases'])})")
    return "\n".join(lines) + "\n"


def cmd_entities(args, settings) -> int:
    from .export.events_jsonl import iter_events
    from .link.entities import list_entities
    from .store import open_store
    store = open_store(args.db)
    try:
        visible = {e["id"] for e in iter_events(store, clearance=args.clearance or settings.clearance)}
        ents = list_entities(store, kind=args.kind, q=args.q, visible=visible)
    finally:
        store.close()
    if args.json:
        for e in ents:
            _out(json.dumps(e, ensure_ascii=False) + "\n")
        return 0
    rows = [[e["id"], e["kind"], e["name"], len(e["events"]), ", ".join(e["aliases"]),
             ", ".join(x["event"] for x in e["events"][:5]) + (" …" if len(e["events"]) > 5 else "")] for e in ents]
    if rows:
        _out(_table(rows, ["id", "kind", "name", "events", "aliases", "event ids"], {4: 60, 5: 70}))
    print(f"{len(rows)} entities", file=sys.stderr)
    return 0


def cmd_export(args, settings) -> int:
    import io
    from .export import get_writer
    from .interop.stats import ExportStats
    from .store import open_store
    write = get_writer(args.format)
    stats = ExportStats()
    store = open_store(args.db)
    try:
        clearance = args.clearance or settings.clearance
        if args.output in (None, "-"):
            sys.stdout.flush()
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=True)
            try:
                n = write(store, out, clearance=clearance, stats=stats)
                out.flush()
            finally:
                out.detach()
            where = "stdout"
        else:
            newline = "" if args.format.endswith("csv") else "\n"
            with open(args.output, "w", encoding="utf-8", newline=newline) as out:
                n = write(store, out, clearance=clearance, stats=stats)
            where = args.output
        print(f"exported {n} records ({args.format}) to {where}; {stats.summary()}", file=sys.stderr)
        return 0
    finally:
        store.close()


def cmd_stats(args, settings) -> int:
    from .store import open_store
    from .store.documents import store_stats
    store = open_store(args.db)
    try:
        st = store_stats(store)
    finally:
        store.close()
    if args.json:
        _out(json.dumps(st, ensure_ascii=False, sort_keys=True) + "\n")
        return 0
    for key in ("documents", "sources", "failed_sources", "mentions", "events"):
        _out(f"{key}: {st[key]}\n")
    for col in ("status", "format", "language", "access"):
        parts = ", ".join(f"{k} {n}" for k, n in st[f"documents_by_{col}"].items())
        _out(f"documents by {col}: {parts or '-'}\n")
    return 0


# ----------------------------------------------------------------- parser

def _command(sub, name: str, handler: Callable, help: str, example: str, parents) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help, parents=parents,
                       epilog="example:\n  " + example, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=handler)
    return p


def _default_who() -> str:
    import getpass
    try:
        return getpass.getuser()
    except Exception:       # no user name in this environment
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="FILE", help="the store: a SQLite file or a database URL "
                        "(default: setting db, $LETOPIS_DB, else letopis.db)")
    common.add_argument("--config", metavar="FILE", help="a TOML settings file (default: ./letopis.toml if present)")
    parser = argparse.ArgumentParser(
        prog="letopis", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Turn folders of reports into an evidence-linked chronicle of protest and repression events.",
        epilog="example:\n  letopis ingest ~/reports --db reports.db && letopis events --db reports.db")
    parser.add_argument("--version", action="version", version=f"letopis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _command(sub, "ingest", cmd_ingest, "store files, folders, archives or stdin, then extract and link events",
                 "letopis ingest ~/reports archive.jsonl --db reports.db --access restricted", [common])
    p.add_argument("paths", nargs="+", metavar="PATH", help="a file, a folder (read recursively), or - for stdin")
    p.add_argument("--no-extract", action="store_true", help="only store the documents; no extraction or linking")
    p.add_argument("--access", choices=ACCESS, help="access level of what is stored (default: setting access); "
                   "front matter `access:` overrides it per document")
    p.add_argument("--workers", type=int, metavar="N", help="extraction processes (default: setting workers)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--max-bytes", type=int, metavar="N", help="refuse files over N bytes (default: setting max_file_bytes)")
    p.add_argument("--text-field", metavar="NAME", help="JSONL/CSV field that holds the text (default: detected)")
    p.add_argument("--title-field", metavar="NAME", help="JSONL/CSV field that holds the title (default: detected)")
    p.add_argument("--date-field", metavar="NAME", help="JSONL/CSV field that holds the date (default: detected)")
    p.add_argument("--url-field", metavar="NAME", help="JSONL/CSV field that holds the url (default: detected)")

    p = _command(sub, "docs", cmd_docs, "list stored documents and failed sources, with status and reasons",
                 "letopis docs --db reports.db --failed", [common])
    p.add_argument("--failed", action="store_true", help="only what failed, with the reason")
    p.add_argument("--json", action="store_true", help="JSON Lines instead of a table")

    p = _command(sub, "doc", cmd_doc, "show one document: summary, stored text, metadata or original bytes",
                 "letopis doc 12 --db reports.db --text", [common])
    p.add_argument("id", type=int, metavar="ID", help="document id (see `letopis docs`)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--text", action="store_true", help="exactly the stored text that evidence offsets index")
    g.add_argument("--meta", action="store_true", help="the metadata (front matter, record fields) as JSON")
    g.add_argument("--raw", action="store_true", help="the original bytes")

    p = _command(sub, "events", cmd_events, "a readable table of canonical events",
                 "letopis events --db reports.db --type crackdown --country KZ --from 2011-12 --min-killed 10",
                 [common])
    p.add_argument("--type", metavar="T", help="only this event type (protest, strike, crackdown, ...)")
    p.add_argument("--country", metavar="CC", help="only this ISO 3166-1 alpha-2 country code")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="only events on or after DATE (ISO, any precision)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only events on or before DATE (ISO, any precision)")
    p.add_argument("--place", metavar="NAME", help="only events at this place (any script or inflection)")
    p.add_argument("--actor", metavar="NAME", help="only events naming this actor (any script or inflection)")
    for kind in FIGURE_FILTERS:
        p.add_argument(f"--min-{kind}", type=int, metavar="N", help=f"only events with at least N {kind}")
    p.add_argument("--clearance", choices=ACCESS, help="highest access level to show (default: setting clearance)")
    p.add_argument("--json", action="store_true", help="JSON Lines in the events-jsonl shape instead of a table")

    p = _command(sub, "show", cmd_show, "one event with every source side by side, figure reports, decisions, entities",
                 "letopis show evt-3f2a9c0b1d2e --db reports.db --clearance confidential", [common])
    p.add_argument("event", metavar="EVENT", help="event id (see `letopis events`)")
    p.add_argument("--clearance", choices=ACCESS, help="highest access level to show (default: setting clearance)")
    p.add_argument("--json", action="store_true", help="the event as JSON, with its entities")

    p = _command(sub, "link", cmd_link, "link mentions into events: what changed only, or everything with --full",
                 "letopis link --db reports.db --full", [common])
    p.add_argument("--full", action="store_true", help="re-cluster every mention (the same result as incremental)")

    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--who", metavar="NAME", default=_default_who(), help="who decides (default: $USER)")
    p = _command(sub, "merge", cmd_merge, "decide that two events are one; linking keeps the decision",
                 "letopis merge evt-3f2a9c0b1d2e evt-77aa01b2c3d4 --who anna --db reports.db", [common, who])
    p.add_argument("event", metavar="EVENT", help="the event to keep")
    p.add_argument("other", metavar="OTHER", help="the event merged into it")

    p = _command(sub, "split", cmd_split, "take mentions out of an event into a new one; linking keeps the decision",
                 "letopis split evt-3f2a9c0b1d2e --mention report.md:0 --who anna --db reports.db", [common, who])
    p.add_argument("event", metavar="EVENT", help="the event to split")
    p.add_argument("--mention", action="append", required=True, metavar="DOC:IDX",
                   help="a mention to take out: document name and its index there (repeatable)")

    p = _command(sub, "correct", cmd_correct, "correct a field of an event; linking keeps the correction",
                 "letopis correct evt-3f2a9c0b1d2e --field figure.killed --value 16-64 --who anna --db reports.db",
                 [common, who])
    p.add_argument("event", metavar="EVENT", help="the event to correct")
    p.add_argument("--field", required=True, metavar="F", help="type, subtype, date, date_end, place, country, lat, "
                   "lon, figure.killed, figure.injured, figure.detained, figure.participants")
    p.add_argument("--value", required=True, metavar="V", help="the value: ISO date, type name, N or N-M for figures")

    p = _command(sub, "entities", cmd_entities, "people, organisations and places with their events",
                 "letopis entities --db reports.db --kind person --q Nazarbayev", [common])
    p.add_argument("--kind", choices=("person", "organization", "place"), help="only this kind")
    p.add_argument("--q", metavar="NAME", help="only entities with this name (any script or inflection)")
    p.add_argument("--clearance", choices=ACCESS, help="highest access level to show (default: setting clearance)")
    p.add_argument("--json", action="store_true", help="JSON Lines instead of a table")

    from .export import FORMATS
    p = _command(sub, "export", cmd_export, "export canonical events: events-jsonl (EVENTS.md), acled-csv, ftm, "
                 "geojson, csv, figures-csv", "letopis export --db reports.db --format events-jsonl -o events.jsonl",
                 [common])
    p.add_argument("--format", required=True, choices=tuple(FORMATS), help="the export format (see docs/INTEROP.md)")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write; - or nothing for stdout")
    p.add_argument("--clearance", choices=ACCESS, help="highest access level to export (default: setting clearance)")

    p = _command(sub, "stats", cmd_stats, "counts of documents, sources, mentions and events",
                 "letopis stats --db reports.db", [common])
    p.add_argument("--json", action="store_true", help="one JSON object instead of lines")

    from .cli_more import register
    register(sub, common, _command)
    return parser


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy.exc import SQLAlchemyError
    from .pipeline import limit_native_threads
    limit_native_threads()          # before anything loads numpy
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from .settings import load_settings
        settings = load_settings(args.config)
        args.db = args.db or settings.db
        if getattr(args, "workers", None) is not None and args.workers < 1:
            raise UsageError("--workers must be 1 or more")
        if getattr(args, "max_bytes", None) is not None and args.max_bytes < 1:
            raise UsageError("--max-bytes must be 1 or more")
        return args.handler(args, settings)
    except UsageError as e:
        print(f"letopis: {e}", file=sys.stderr)
        return 2
    except LetopisError as e:
        print(f"letopis: {e}", file=sys.stderr)
        return 1
    except SQLAlchemyError as e:
        reason = str(getattr(e, "orig", None) or e).splitlines()[0]
        print(f"letopis: [E050] the store {args.db} cannot be used: {reason}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        print("letopis: interrupted; run the same command again to finish", file=sys.stderr)
        return 130
