"""Full-text search over documents and event mentions, by lemma (SQLite FTS5).

Each document's text becomes a stream of lemmas, one per word token, in order
(``lemma_stream``), so a hit in the stream maps back to the same token of the
text for highlighting. Russian and Ukrainian words are lemmatised with
pymorphy3 ("расстрелом" → "расстрел"); other words are lower-cased. The query is
analysed the same way, each word matching any of its lemmas.
"""
from __future__ import annotations

import json
import re
import threading
import time
from functools import lru_cache

from sqlalchemy import text as sql

from ..store import Store

WORD = re.compile(r"[^\W_]+")
CYRILLIC = re.compile(r"[а-яёіїєґ]", re.I)
TYPE_WORDS = {
    "protest": "protest протест митинг акция пикет мітинг",
    "strike": "strike забастовка стачка страйк",
    "riot": "riot беспорядки заворушення",
    "crackdown": "crackdown dispersal разгон разгін расстрел",
    "detention": "detention arrest задержание арест затримання",
    "prosecution": "prosecution trial суд дело преследование",
    "restriction": "restriction ban запрет заборона",
    "attack": "attack нападение напад",
    "concession": "concession уступка поступка",
}


def tokens(text: str) -> list[re.Match]:
    return list(WORD.finditer(text or ""))


@lru_cache(maxsize=500_000)
def lemma(word: str, lang: str) -> str:
    w = word.lower().replace("ё", "е")
    if lang in ("ru", "uk") and CYRILLIC.search(w):
        from ..extract.morph import analyzer
        parses = analyzer(lang).parse(w)
        if parses:
            w = parses[0].normal_form.replace("ё", "е")
        w = "".join(WORD.findall(w)) or w
    return w


def doc_lang(language: str | None, text: str = "") -> str:
    if language in ("ru", "uk"):
        return language
    if language in (None, "", "kk", "be") and CYRILLIC.search(text[:2000]):
        return "uk" if language == "uk" else "ru"
    return language or "en"


def lemma_stream(text: str, lang: str) -> str:
    return " ".join(lemma(m.group(), lang) for m in WORD.finditer(text or ""))


def query_lemmas(q: str) -> list[set[str]]:
    """Each query word → every lemma it may have (ru, uk, as written)."""
    out = []
    for m in WORD.finditer(q or ""):
        w = m.group()
        out.append({lemma(w, "ru"), lemma(w, "uk"), w.lower().replace("ё", "е")})
    return out[:16]


def fts_query(q: str) -> str | None:
    groups = query_lemmas(q)
    if not groups:
        return None
    parts = ["(" + " OR ".join('"' + x.replace('"', '') + '"' for x in sorted(g)) + ")" for g in groups]
    return " AND ".join(parts)


def mention_text(data: dict) -> str:
    bits = [data.get("type") or "", data.get("subtype") or "", TYPE_WORDS.get(data.get("type"), "")]
    place = data.get("place") or {}
    bits += [place.get("name") or "", place.get("name_en") or ""]
    bits += [a.get("name") or "" for a in data.get("actors") or ()]
    bits += [d.get("text") or "" for d in data.get("demands") or ()]
    bits += [s.get("text") or "" for s in data.get("evidence") or ()]
    return " ".join(bits)


# ---------------------------------------------------------------- keeping the index in step

_lock = threading.Lock()
_last: dict[str, tuple] = {}


def fingerprint(conn) -> tuple:
    return tuple(conn.execute(sql(
        "SELECT (SELECT count(*) FROM documents), (SELECT max(id) FROM documents),"
        " (SELECT count(*) FROM documents WHERE status IN ('stored', 'extracted')),"
        " (SELECT count(*) FROM mentions), (SELECT max(id) FROM mentions)")).one())


def sync_index(store: Store, *, force: bool = False, min_interval: float = 2.0) -> int:
    """Index live documents and mentions not yet indexed, drop stale rows; returns rows written."""
    if not store.is_sqlite:
        return 0
    key = store.url
    with _lock:
        stamp, fp = _last.get(key, (0.0, None))
        if not force and time.monotonic() - stamp < min_interval:
            return 0
        written = 0
        with store.engine.begin() as conn:
            now_fp = fingerprint(conn)
            if not force and now_fp == fp:
                _last[key] = (time.monotonic(), fp)
                return 0
            conn.execute(sql("DELETE FROM doc_fts WHERE rowid NOT IN (SELECT id FROM documents"
                             " WHERE status IN ('stored','extracted') AND text IS NOT NULL)"))
            rows = conn.execute(sql(
                "SELECT d.id, d.text, d.language, d.title FROM documents d WHERE d.status IN ('stored','extracted')"
                " AND d.text IS NOT NULL AND d.id NOT IN (SELECT rowid FROM doc_fts)")).all()
            batch = [{"id": r.id, "l": lemma_stream(r.text, doc_lang(r.language, r.text))} for r in rows]
            for i in range(0, len(batch), 2000):
                conn.execute(sql("INSERT INTO doc_fts(rowid, lemmas) VALUES (:id, :l)"), batch[i:i + 2000])
            written += len(batch)
            conn.execute(sql(
                "DELETE FROM mention_fts WHERE rowid NOT IN (SELECT m.id FROM mentions m) OR rowid IN ("
                " SELECT m.id FROM mentions m JOIN mention_fts f ON f.rowid = m.id"
                " WHERE f.sig != m.document_id || ':' || m.idx || ':' || length(m.data))"))
            rows = conn.execute(sql(
                "SELECT m.id, m.document_id, m.idx, m.data, d.language FROM mentions m"
                " JOIN documents d ON d.id = m.document_id"
                " WHERE m.id NOT IN (SELECT rowid FROM mention_fts)")).all()
            batch = []
            for r in rows:
                t = mention_text(json.loads(r.data))
                batch.append({"id": r.id, "s": f"{r.document_id}:{r.idx}:{len(r.data)}",
                              "l": lemma_stream(t, doc_lang(r.language, t))})
            for i in range(0, len(batch), 2000):
                conn.execute(sql("INSERT INTO mention_fts(rowid, sig, lemmas) VALUES (:id, :s, :l)"),
                             batch[i:i + 2000])
            written += len(batch)
            _last[key] = (time.monotonic(), fingerprint(conn))
        return written


# ---------------------------------------------------------------- passages

def passage(text: str, stream: str, q: str, width: int = 240) -> list[tuple[str, bool]]:
    """The passage of ``text`` around the first query hit → [(segment, is_hit)], for escaped rendering."""
    groups = query_lemmas(q)
    wanted = set().union(*groups) if groups else set()
    toks = tokens(text)
    lemmas = stream.split(" ") if stream else []
    hits = [toks[i] for i, lem in enumerate(lemmas[:len(toks)]) if lem in wanted]
    if not hits:
        return [(text[:width] + ("…" if len(text) > width else ""), False)]
    first = hits[0].start()
    lo = max(0, first - width // 3)
    hi = min(len(text), lo + width)
    out, pos = [], lo
    if lo > 0:
        out.append(("…", False))
    for m in hits:
        if m.start() < lo or m.end() > hi:
            continue
        out.append((text[pos:m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    out.append((text[pos:hi], False))
    if hi < len(text):
        out.append(("…", False))
    return [(s.replace("\n", " "), h) for s, h in out if s]


# ---------------------------------------------------------------- bounded result sets

COUNT_CAP = 1_000       # counts stop here: a larger result set shows as "1000+" (the API gives cap + 1)
RANK_LIMIT = 3_000      # at most this many document hits are ranked by relevance; older ones follow, newest first
FILTER_DRIVE = 20_000   # country/type filters matching at most this many mentions drive a search (if fewer than hits)
FILTER_MIN = 2_000      # ... when the text matches more than this many


class Count(int):
    """A result count, counted up to ``COUNT_CAP + 1``: past the cap it reads "1000+" on a page."""
    __slots__ = ()

    def __str__(self) -> str:
        return f"{COUNT_CAP}+" if self > COUNT_CAP else int.__repr__(self)


def _scalars(conn, q: str, args: dict) -> list:
    return list(conn.execute(sql(q), args).scalars())


def _filter_side(conn, f, hits: int, args: dict, conds: list[str]) -> bool:
    """True when the indexed mention filters (country, type) match fewer mentions than the text does."""
    if not conds or not (f.country or f.type) or hits <= FILTER_MIN:
        return False
    cap = min(FILTER_DRIVE, hits)
    own = [c for c in conds if not c.lstrip("(").startswith("d.")]      # the mention's own: an estimate
    n = conn.execute(sql(f"SELECT count(*) FROM (SELECT 1 FROM mentions m WHERE {' AND '.join(own)}"
                         f" LIMIT {cap + 1})"), args).scalar_one()
    return n <= cap


def search_documents(conn, f, fts: str, dwhere: str, sub: list[str], args: dict,
                     limit: int, offset: int, plain: bool) -> tuple[list[int], Count]:
    """One page of ids of documents ``d`` matching ``fts`` and ``dwhere`` with a mention ``m`` meeting
    ``sub`` (if any), best first, and their count up to ``COUNT_CAP + 1``.

    The matches are collected from the narrower side: the text index, or the mentions the filters
    select (tested against the set of hits). Up to ``COUNT_CAP`` matches are all ranked by relevance;
    beyond it the newest ``RANK_LIMIT`` hits are ranked (all of them if there are no filters but
    clearance), then the rest follow newest first.
    """
    a = {**args, "fts": fts}
    hits = conn.execute(sql("SELECT count(*) FROM doc_fts WHERE doc_fts MATCH :fts"), a).scalar_one()
    by_filters = _filter_side(conn, f, hits, a, sub)
    where = dwhere + (" AND EXISTS (SELECT 1 FROM mentions m WHERE m.document_id = d.id AND "
                      + " AND ".join(sub) + ")" if sub else "")
    if by_filters:
        frm = (f"FROM documents d WHERE d.id IN (SELECT m.document_id FROM mentions m WHERE {' AND '.join(sub)})"
               f" AND {dwhere} AND +d.id IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH :fts)")
    else:
        frm = f"FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid WHERE doc_fts MATCH :fts AND {where}"
    page = {**a, "limit": limit, "offset": offset}
    if by_filters:      # one pass over the filtered mentions: newest first, enough for the count and the page
        found = _scalars(conn, f"SELECT d.id {frm} ORDER BY d.id DESC LIMIT {max(COUNT_CAP + 1, offset + limit)}", a)
    else:
        found = _scalars(conn, f"SELECT d.id {frm} LIMIT {COUNT_CAP + 1}", a)
    total = Count(min(len(found), COUNT_CAP + 1))
    if len(found) <= COUNT_CAP:      # every match known: rank them all
        if offset >= len(found):
            return [], total
        marks = ",".join(str(int(i)) for i in found)
        return _scalars(conn, f"SELECT rowid FROM doc_fts WHERE doc_fts MATCH :fts AND +rowid IN ({marks})"
                              " ORDER BY bm25(doc_fts), rowid DESC LIMIT :limit OFFSET :offset", page), total
    if by_filters:
        return found[offset:offset + limit], total
    if hits <= RANK_LIMIT:
        return _scalars(conn, f"SELECT d.id {frm} ORDER BY bm25(doc_fts), d.id DESC"
                              " LIMIT :limit OFFSET :offset", page), total
    if not plain:
        return _scalars(conn, f"SELECT d.id {frm} ORDER BY doc_fts.rowid DESC LIMIT :limit OFFSET :offset",
                        page), total
    # the newest RANK_LIMIT visible hits by relevance, then older ones newest first
    lo = conn.execute(sql(f"SELECT d.id {frm} ORDER BY doc_fts.rowid DESC LIMIT 1 OFFSET {RANK_LIMIT - 1}"),
                      a).scalar()
    if lo is None:
        return _scalars(conn, f"SELECT d.id {frm} ORDER BY bm25(doc_fts), d.id DESC"
                              " LIMIT :limit OFFSET :offset", page), total
    out: list[int] = []
    if offset < RANK_LIMIT:
        out = _scalars(conn, f"SELECT d.id {frm} AND doc_fts.rowid >= :lo ORDER BY bm25(doc_fts), d.id DESC"
                             " LIMIT :n OFFSET :offset", {**page, "lo": lo, "n": min(limit, RANK_LIMIT - offset)})
    if len(out) < limit:
        out += _scalars(conn, f"SELECT d.id {frm} AND doc_fts.rowid < :lo ORDER BY doc_fts.rowid DESC"
                              " LIMIT :n OFFSET :o", {**a, "lo": lo, "n": limit - len(out),
                                                      "o": max(0, offset - RANK_LIMIT)})
    return out, total


def search_events(conn, f, fts: str, conds: list[str], args: dict, levels: str, statuses: str,
                  limit: int, offset: int) -> tuple[list[str], Count]:
    """One page of ids of visible events whose visible mentions match ``fts`` and the mention
    conditions ``conds`` (on ``m`` and its document ``d``), newest first, and their count up to
    ``COUNT_CAP + 1``.

    The matching events are collected from the narrower side (text index or filtered mentions); when
    there are more than ``COUNT_CAP``, the page walks the events newest first, testing each.
    """
    a = {**args, "fts": fts}
    vis = f"d.status = 'extracted' AND d.access IN {levels}" + "".join(" AND " + c for c in conds)
    ev = f"e.status IN ({statuses}) AND e.access IN {levels}"
    hits = conn.execute(sql("SELECT count(*) FROM mention_fts WHERE mention_fts MATCH :fts"), a).scalar_one()
    hit_set = "(SELECT rowid FROM mention_fts WHERE mention_fts MATCH :fts)"
    page = {**a, "limit": limit, "offset": offset}
    if _filter_side(conn, f, hits, a, conds):    # all of them, sorted and counted in one pass
        frm = (f"FROM events e WHERE {ev} AND e.id IN (SELECT m.event_id FROM mentions m JOIN documents d"
               f" ON d.id = m.document_id WHERE {vis} AND +m.id IN {hit_set})")
        rows = conn.execute(sql(f"SELECT e.id, count(*) OVER () AS n {frm} ORDER BY e.date_start DESC, e.id DESC"
                                " LIMIT :limit OFFSET :offset"), page).all()
        n = rows[0].n if rows else conn.execute(sql(f"SELECT count(*) {frm}"), a).scalar_one()
        return [r.id for r in rows], Count(min(n, COUNT_CAP + 1))
    frm = (f"FROM mention_fts JOIN mentions m ON m.id = mention_fts.rowid JOIN documents d ON d.id = m.document_id"
           f" JOIN events e ON e.id = m.event_id WHERE mention_fts MATCH :fts AND {vis} AND {ev}")
    found = _scalars(conn, f"SELECT DISTINCT e.id {frm} LIMIT {COUNT_CAP + 1}", a)
    total = Count(len(found))
    if len(found) <= COUNT_CAP:
        if offset >= len(found):
            return [], total
        ids = {f"e{n}": x for n, x in enumerate(found)}
        marks = ",".join(f":{k}" for k in ids)
        return _scalars(conn, f"SELECT e.id FROM events e WHERE e.id IN ({marks})"
                              " ORDER BY e.date_start DESC, e.id DESC LIMIT :limit OFFSET :offset",
                        {**ids, "limit": limit, "offset": offset}), total
    # more than COUNT_CAP: walk the events newest first, testing each one's visible mentions against the
    # hits (a query most mentions match is asked mention by mention: the walk is short, the hit set large)
    mentions = conn.execute(sql("SELECT count(*) FROM mentions")).scalar_one()
    probe = (f"EXISTS (SELECT 1 FROM mention_fts WHERE mention_fts MATCH :fts AND mention_fts.rowid = m.id)"
             if hits * 2 > mentions and offset + limit <= 50 else f"+m.id IN {hit_set}")
    return _scalars(conn, f"SELECT e.id FROM events e WHERE {ev} AND EXISTS (SELECT 1 FROM mentions m"
                          f" JOIN documents d ON d.id = m.document_id WHERE m.event_id = e.id AND {vis}"
                          f" AND {probe}) ORDER BY e.date_start DESC, e.id DESC LIMIT :limit OFFSET :offset",
                    page), total
