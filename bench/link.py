"""Linking speed and memory on synthetic mentions.

    python bench/link.py                 # 10k and 100k through the store, 1M in memory, +1,000 documents
    python bench/link.py --sizes 10000   # a quick run

Mentions spread like reports do: nine types, 40 countries with towns (60 each at 10k
mentions, more as the corpus grows: a larger corpus covers more places), a few country-level
and place-less mentions, twenty years, mostly day-precise dates (some month,
year or no date), two to three reports per real event, actors with names in several scripts.
Each size runs in a child process so peak memory (RSS) is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

TYPES = ("protest", "strike", "riot", "crackdown", "detention", "prosecution", "restriction", "attack", "concession")


def synthetic(n: int, seed: int = 7):
    """(document name, Mention) pairs, about three mentions per document."""
    from letopis.model import Actor, DateValue, Figure, Mention, Place, Span
    rnd = random.Random(seed)
    countries = [f"C{i:02d}"[:2] if False else chr(65 + i // 26) + chr(65 + i % 26) for i in range(40)]
    per = max(60, n // 700)         # a larger corpus covers more towns (60 per country at 10k, 1,430 at 1M)
    towns = {c: [(10_000 + ci * 10_000 + t, 40 + ci * 0.7 + (t % 40) * 0.4, 20 + (t // 40) * 0.6)
                 for t in range(per)] for ci, c in enumerate(countries)}
    out, doc, k = [], 0, 0
    while len(out) < n:
        t = rnd.choice(TYPES)
        c = rnd.choice(countries)
        y, mo, d = rnd.randint(2005, 2024), rnd.randint(1, 12), rnd.randint(1, 28)
        gid, lat, lon = rnd.choice(towns[c])
        killed = rnd.choice((None, None, 3, 16, 40))
        for _ in range(rnd.choice((1, 2, 2, 3, 4))):
            doc += 1
            k += 1
            r = rnd.random()
            date = (f"{y}-{mo:02d}-{d:02d}" if r < .75 else f"{y}-{mo:02d}" if r < .88 else f"{y}" if r < .95 else None)
            r = rnd.random()
            if r < .85:
                place = Place(f"town{gid}", f"Town{gid}", c, lat, lon, "city", gid)
            elif r < .95:
                place = Place(c, c, c, None, None, "country", 10 + countries.index(c))
            else:
                place = None
            figs = (Figure("killed", killed, killed, Span(0, 5, f"{killed} k")),) if killed else ()
            acts = (Actor(rnd.choice(("Назарбаев", "Nazarbayev", "Иванов", "Petrenko")), "other", "person"),) \
                if rnd.random() < .2 else ()
            m = Mention(t, None, (Span(k % 5000, k % 5000 + 5, "xxxxx"),),
                        DateValue(date) if date else None, place, figs, acts)
            out.append((f"doc{doc:08d}.md", m))
            if len(out) >= n:
                break
    return out


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_memory(n: int) -> dict:
    from letopis.link.cluster import Item, cluster, natural_key
    pairs = synthetic(n)
    items = [Item(natural_key(d, m), d, m) for d, m in pairs]
    t = time.perf_counter()
    events = cluster(items)
    return {"mode": "memory", "mentions": n, "events": len(events),
            "seconds": round(time.perf_counter() - t, 2), "peak_mib": round(peak_mib(), 1)}


def fill(store, pairs, first_id: int = 1) -> None:
    from sqlalchemy import insert
    from letopis.model import ExtractionResult
    from letopis.store.events import save_extraction
    from letopis.store.schema import documents
    by_doc: dict[str, list] = {}
    for d, m in pairs:
        by_doc.setdefault(d, []).append(m)
    rows = [{"id": first_id + i, "sha256": f"{first_id + i:064d}", "name": d, "format": "md", "text": "",
             "access": "public", "status": "stored", "created_at": "x", "updated_at": "x"}
            for i, d in enumerate(by_doc)]
    with store.engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(insert(documents), rows[i:i + 5000])
    for i, (d, ms) in enumerate(by_doc.items()):
        save_extraction(store, ExtractionResult(first_id + i, tuple(ms), "bench"))


def run_store(n: int, add_docs: int = 0) -> dict:
    from letopis.link import link_store
    from letopis.store import open_store
    pairs = synthetic(n + add_docs * 3)
    docs: dict[str, list] = {}
    for d, m in pairs:
        docs.setdefault(d, []).append(m)
    names = list(docs)
    extra = set(names[len(names) - add_docs:]) if add_docs else set()
    base = [(d, m) for d, m in pairs if d not in extra]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(os.path.join(tmp, "bench.db"))
        fill(store, base)
        t = time.perf_counter()
        st = link_store(store, full=True)
        res = {"mode": "store", "mentions": len(base), "events": st.events,
               "seconds": round(time.perf_counter() - t, 2)}
        if add_docs:
            more = [(d, m) for d, m in pairs if d in extra]
            fill(store, more, first_id=len(names) + 10)
            t = time.perf_counter()
            st2 = link_store(store)
            res.update(added_documents=add_docs, added_mentions=len(more), relinked=st2.mentions,
                       incremental_seconds=round(time.perf_counter() - t, 2))
        store.close()
    res["peak_mib"] = round(peak_mib(), 1)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--memory-sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--add-docs", type=int, default=1000, help="documents added to the largest store")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "N", "ADD"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        mode, n, add = a.child
        print(json.dumps(run_memory(int(n)) if mode == "memory" else run_store(int(n), int(add))))
        return
    jobs = [("memory", n, 0) for n in a.memory_sizes]
    jobs += [("store", n, a.add_docs if n == max(a.sizes) else 0) for n in a.sizes]
    for mode, n, add in jobs:
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(n), str(add)],
                             capture_output=True, text=True)
        print(out.stdout.strip() or out.stderr.strip()[-2000:], flush=True)


if __name__ == "__main__":
    main()
