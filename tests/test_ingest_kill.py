"""Killing `letopis ingest` at any moment and running it again gives exactly the state of one clean run."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import EN_REPORT, RU_REPORT, UK_REPORT, dump_db, front_matter, write
from test_cli_pipeline import pipeline_ready

FILES = 300


def make_corpus(root):
    bodies = (RU_REPORT, UK_REPORT, EN_REPORT)
    for i in range(FILES):
        body = (bodies[i % 3] * 8) + f"\nДокумент номер {i}.\n"
        write(root / f"d{i // 100}" / f"r{i:04d}.md", front_matter(body, title=f"Report {i}", date=f"2020-{i % 12 + 1:02d}"))
    write(root / "d0" / "dup.md", front_matter((RU_REPORT * 8) + "\nДокумент номер 0.\n", title="Report 0",
                                               date="2020-01"))             # same bytes as r0000.md
    write(root / "d1" / "bad.md", b"\x00\x01\x02\x03 junk " * 50)
    write(root / "d2" / "empty.txt", b"")


def ingest_cmd(corpus, db):
    return [sys.executable, "-m", "letopis", "ingest", str(corpus), "--db", str(db), "--no-extract", "--quiet"]


def sources_count(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM sources").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_ingest_kill_and_rerun_equals_clean_run(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    done = subprocess.run(ingest_cmd(corpus, clean_db), capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1, done.stderr          # bad.md and empty.txt fail
    assert done.stdout.strip().splitlines()[-1] == f"ingested {FILES + 1} / unchanged 0 / failed 2"
    total = FILES + 3

    kills_mid_run = 0
    seen = 0
    for _ in range(4):                                  # kill it several times, each a little further on
        proc = subprocess.Popen(ingest_cmd(corpus, killed_db), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            n = sources_count(killed_db)
            if n > seen + 10:
                break
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            n = sources_count(killed_db)
            kills_mid_run += n < total
            seen = n
        else:
            break
    assert kills_mid_run >= 1, "the process always finished before it could be killed"

    rerun = subprocess.run(ingest_cmd(corpus, killed_db), capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 1
    last = rerun.stdout.strip().splitlines()[-1]
    assert last.endswith("failed 2") and "unchanged" in last
    assert dump_db(str(killed_db)) == dump_db(str(clean_db))


def dump_pipeline(path) -> list[tuple]:
    """Documents and sources, plus mentions and events (without their timestamps)."""
    con = sqlite3.connect(str(path))
    try:
        ms = con.execute("SELECT document_id, idx, type, subtype, date_start, date_end, country, data, event_id, "
                         "extractor FROM mentions ORDER BY document_id, idx").fetchall()
        evs = con.execute("SELECT id, type, subtype, date_start, date_end, country, place, lat, lon, actors, "
                          "figures, demands, types, access, status FROM events ORDER BY id").fetchall()
    finally:
        con.close()
    return dump_db(str(path)) + [("mentions", *m) for m in ms] + [("events", *e) for e in evs]


def count(db, sql) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(not pipeline_ready(), reason="extraction/linking modules not there yet")
def test_ingest_kill_during_extraction_and_rerun_equals_clean_run(tmp_path):
    corpus = tmp_path / "corpus"
    bodies = (RU_REPORT, UK_REPORT, EN_REPORT)
    n = 40
    for i in range(n):
        write(corpus / f"r{i:03d}.md", front_matter(bodies[i % 3] + f"\nНомер {i}.\n", date=f"2020-{i % 12 + 1:02d}-10"))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = lambda db: [sys.executable, "-m", "letopis", "ingest", str(corpus), "--db", str(db), "--quiet"]
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    done = subprocess.run(cmd(clean_db), capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr

    extracted = "SELECT count(*) FROM documents WHERE status = 'extracted'"
    killed_mid_extraction = False
    seen = 0
    for _ in range(3):
        proc = subprocess.Popen(cmd(killed_db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if count(killed_db, extracted) > seen:
                break
            time.sleep(0.005)
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen = count(killed_db, extracted)
        killed_mid_extraction |= 0 < seen < n
    assert killed_mid_extraction, "the process always finished before it could be killed"
    rerun = subprocess.run(cmd(killed_db), capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert dump_pipeline(killed_db) == dump_pipeline(clean_db)
