"""Ingest throughput and memory: `letopis ingest --no-extract` on a synthetic corpus.

    python bench/ingest.py                    # 5,000 then 20,000 documents of about 3 KB
    python bench/ingest.py --docs 2000 1000   # other sizes

For each size it writes a fresh corpus of Markdown reports (front matter, ru/uk/en
prose from a fixed vocabulary, a seeded generator, so every run is alike) into a
temporary folder, runs `python -m letopis ingest DIR --db DB --no-extract --quiet`
as a child process, and prints documents per second and the child's peak
resident memory (ru_maxrss from wait4). Ingest streams, one file at a time, so
peak memory should stay flat as the corpus grows; the last line says whether it did.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

WORDS = {
    "ru": ("митинг акция протеста участники полиция задержала площадь города власти требования "
           "правозащитники сообщили суд штраф активистов забастовка рабочих заводе зарплаты "
           "в субботу около нескольких сотен человек вышли на улицу против решения").split(),
    "uk": ("мітинг акція протесту учасники поліція затримала площі міста влада вимоги "
           "правозахисники повідомили суд штраф активістів страйк робітників заводі зарплати "
           "у суботу близько кількох сотень людей вийшли на вулицю проти рішення").split(),
    "en": ("rally protest participants police detained square city authorities demands "
           "rights groups reported court fine activists strike workers plant wages "
           "on saturday about several hundred people took to the streets against the decision").split(),
}
DOC_BYTES = 3000


def make_corpus(root: str, n: int, seed: int = 1) -> int:
    """n Markdown reports of about DOC_BYTES bytes in folders of 500; returns the total bytes."""
    rnd = random.Random(seed)
    total = 0
    for i in range(n):
        lang = ("ru", "uk", "en")[i % 3]
        words = WORDS[lang]
        parts = [f"---\ntitle: \"Report {i}\"\ndate: \"20{10 + i % 14:02d}-{1 + i % 12:02d}\"\n"
                 f"source: bench\n---\n"]              # no language: detection runs, as on real files
        size = len(parts[0].encode())
        while size < DOC_BYTES:
            sentence = " ".join(rnd.choice(words) for _ in range(rnd.randint(8, 18))).capitalize() + ". "
            parts.append(sentence)
            size += len(sentence.encode())
        parts.append(f"\nДокумент {i}.\n")
        folder = os.path.join(root, f"part{i // 500:03d}")
        if i % 500 == 0:
            os.makedirs(folder, exist_ok=True)
        data = "".join(parts).encode()
        with open(os.path.join(folder, f"r{i:06d}.md"), "wb") as f:
            f.write(data)
        total += len(data)
    return total


def run_ingest(corpus: str, db: str) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in KiB, exit status, last stdout line) of one ingest child process."""
    cmd = [sys.executable, "-m", "letopis", "ingest", corpus, "--db", db, "--no-extract", "--quiet"]
    out_path = db + ".out"
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, encoding="utf-8") as f:
        lines = f.read().strip().splitlines()
    return seconds, usage.ru_maxrss, proc.returncode, lines[-1] if lines else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="example: python bench/ingest.py --docs 5000 20000")
    ap.add_argument("--docs", type=int, nargs="+", default=[5000, 20000], metavar="N",
                    help="corpus sizes to run, in documents (default: 5000 20000)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="letopis-bench-")
    results = []
    try:
        for n in args.docs:
            corpus = os.path.join(tmp, f"corpus-{n}")
            nbytes = make_corpus(corpus, n)
            db = os.path.join(tmp, f"bench-{n}.db")
            seconds, rss_kib, code, last = run_ingest(corpus, db)
            if code != 0 or not last.startswith(f"ingested {n} /"):
                print(f"ingest of {n} documents did not succeed (exit {code}): {last}", file=sys.stderr)
                return 1
            db_mb = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s)) / 1e6
            results.append((n, seconds, rss_kib))
            print(f"{n:>7,} docs ({nbytes / 1e6:6.1f} MB): {seconds:7.1f} s, {n / seconds:6.0f} docs/s, "
                  f"{nbytes / 1e6 / seconds:5.2f} MB/s, peak RSS {rss_kib / 1024:6.1f} MiB, store {db_mb:6.1f} MB, "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
            shutil.rmtree(corpus)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    if len(results) >= 2:
        (n0, _, m0), (n1, _, m1) = results[0], results[-1]
        growth = (m1 - m0) / m0
        verdict = "flat" if growth < 0.10 else "GROWS"
        print(f"peak memory {m0 / 1024:.1f} → {m1 / 1024:.1f} MiB for {n1 / n0:.0f}× the documents "
              f"({growth:+.1%}): {verdict}")
        return 0 if verdict == "flat" else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
