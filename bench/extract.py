#!/usr/bin/env python3
"""Extraction throughput and peak memory.

    python bench/extract.py [--docs 400] [--workers 1 2] [--stress-mb 5]

Builds a corpus of news-length documents from the project's own sample reports
(examples/corpus, cycled and shuffled sentence order so no two are identical), runs
`extract_document` over it with 1 and with N worker processes, and prints characters
and documents per second, per core, and the peak resident memory of the busiest
process. Then feeds one text of --stress-mb megabytes without any punctuation and
reports its time and memory: the sentence cap must keep it bounded.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from letopis.pipeline import limit_native_threads  # noqa: E402

limit_native_threads()            # as `letopis ingest` does, before numpy is loaded

from letopis.model import DocumentInput  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm() -> None:
    """Load every model and lexicon once in this process, before any timing."""
    from letopis.extract import extract_document
    for text, lang in (("Полиция разогнала митинг в Москве 1 мая 2020 года. Задержаны 20 человек.", "ru"),
                       ("У Києві поліція затримала двадцять учасників пікету.", "uk"),
                       ("police dispersed a rally in nairobi and arrested 12 people.", "en")):
        extract_document(DocumentInput(0, "warm.md", text, lang, "2020-05-02"))


def _warm_and_extract(docs: list[DocumentInput]) -> tuple[int, int, float]:
    from letopis.extract import extract_document
    _warm()
    n = 0
    for d in docs:
        n += len(extract_document(d).mentions)
    return len(docs), n, peak_rss_mb()


def _sleep(_: int) -> None:
    time.sleep(0.5)


def sample_texts() -> list[str]:
    texts = []
    for p in sorted((ROOT / "examples" / "corpus").glob("*.md")):
        texts.append(p.read_text(encoding="utf-8"))
    if not texts:
        raise SystemExit("examples/corpus has no .md files")
    return texts


def make_corpus(n: int, seed: int = 7) -> list[DocumentInput]:
    rnd = random.Random(seed)
    base = sample_texts()
    docs = []
    for i in range(n):
        t = base[i % len(base)]
        head, sep, body = t.partition("\n---\n") if t.startswith("---") else ("", "", t)
        paras = body.split("\n\n")
        rnd.shuffle(paras)
        text = head + sep + "\n\n".join(paras)
        docs.append(DocumentInput(i + 1, f"doc{i}.md", text, None, "2014-05-03"))
    return docs


def run(docs: list[DocumentInput], workers: int) -> dict:
    chars = sum(len(d.text) for d in docs)
    t0 = time.perf_counter()
    if workers == 1:
        from letopis.extract import extract_document
        _warm_and_extract(docs[:1])
        t0 = time.perf_counter()
        mentions = sum(len(extract_document(d).mentions) for d in docs)
        peak = peak_rss_mb()
    else:
        parts = [docs[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers, initializer=_warm) as pool:
            list(pool.map(_sleep, range(workers * 2)))          # every worker started and warmed
            t0 = time.perf_counter()
            res = list(pool.map(_warm_and_extract, parts))
        mentions = sum(r[1] for r in res)
        peak = max(r[2] for r in res)
    dt = time.perf_counter() - t0
    return {"workers": workers, "docs": len(docs), "chars": chars, "seconds": dt, "mentions": mentions,
            "chars_per_s": chars / dt, "docs_per_s": len(docs) / dt, "per_core": chars / dt / workers,
            "peak_mb": peak}


def stress(mb: int) -> dict:
    from letopis.extract import extract_document
    words = ["митинг", "полиция", "задержала", "участников", "в", "Москве", "protest", "workers", "strike",
             "забастовка", "рабочих", "десятки", "людей", "площадь", "требованием", "зарплаты"]
    rnd = random.Random(1)
    target = mb * 1024 * 1024
    parts, size = [], 0
    while size < target:
        w = rnd.choice(words)
        parts.append(w)
        size += len(w) + 1
    text = " ".join(parts)
    t0 = time.perf_counter()
    res = extract_document(DocumentInput(1, "stress.txt", text, "ru", "2020-01-01"))
    return {"chars": len(text), "seconds": time.perf_counter() - t0, "mentions": len(res.mentions),
            "error": res.error, "peak_mb": peak_rss_mb()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--stress-mb", type=int, default=5, help="0 to skip the unpunctuated text")
    a = ap.parse_args()
    docs = make_corpus(a.docs)
    print(f"corpus: {len(docs)} documents, {sum(len(d.text) for d in docs):,} characters "
          f"(avg {sum(len(d.text) for d in docs) // len(docs):,}), cpu cores: {os.cpu_count()}")
    for w in a.workers:
        r = run(docs, w)
        print(f"workers={w}: {r['chars_per_s']:,.0f} chars/s ({r['per_core']:,.0f} per core), "
              f"{r['docs_per_s']:.1f} docs/s, {r['mentions']} mentions, peak RSS {r['peak_mb']:.0f} MB per worker")
    if a.stress_mb:
        r = stress(a.stress_mb)
        print(f"stress: {r['chars']:,} chars without punctuation in {r['seconds']:.1f} s, "
              f"{r['mentions']} mentions, error={r['error'] and r['error'][:80]}, peak RSS {r['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
