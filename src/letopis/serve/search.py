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
