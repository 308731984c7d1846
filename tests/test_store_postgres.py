"""The same pipeline on PostgreSQL: a throwaway server started here (Debian's postgresql
package: initdb and pg_ctl), the sample corpus ingested, extracted, linked and exported; the
export must equal the SQLite one, and incremental linking must equal a full link.
Skipped when the PostgreSQL server programs or psycopg are not installed."""
import io
import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"


def _bin() -> Path | None:
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "initdb").exists() and (base / "pg_ctl").exists():
            return base
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url(tmp_path_factory):
    pytest.importorskip("psycopg")
    bin_ = _bin()
    if bin_ is None:
        pytest.skip("PostgreSQL server programs not installed (apt-get install postgresql)")
    base = tmp_path_factory.mktemp("pg")
    data, port = base / "data", _free_port()
    run_as = []
    if os.geteuid() == 0:                 # the server refuses to run as root
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser")
        run_as = ["runuser", "-u", "postgres", "--"]
        os.chmod(base, 0o777)
        for parent in list(base.parents)[:3]:
            os.chmod(parent, os.stat(parent).st_mode | 0o011)
    subprocess.run(run_as + [str(bin_ / "initdb"), "-D", str(data), "-A", "trust", "-U", "letopis"],
                   check=True, capture_output=True)
    subprocess.run(run_as + [str(bin_ / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                             f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        subprocess.run(run_as + [str(bin_ / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "letopis",
                                 "letopis"], check=True, capture_output=True)
        yield f"postgresql+psycopg://letopis@127.0.0.1:{port}/letopis"
    finally:
        subprocess.run(run_as + [str(bin_ / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True)


def _export(store) -> list[dict]:
    from letopis.export.events_jsonl import write_events_jsonl
    buf = io.StringIO()
    write_events_jsonl(store, buf, clearance="confidential")
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def _pipeline(url: str, paths: list[str]):
    from letopis.ingest import IngestOptions, ingest_paths
    from letopis.pipeline import extract_pending, link
    from letopis.store import open_store
    store = open_store(url)
    stats = ingest_paths(store, paths, IngestOptions())
    assert stats.failed == 0
    extract_pending(store)
    link(store)
    return store


def test_store_postgres_pipeline_gives_the_sqlite_result_and_links_incrementally(pg_url, tmp_path):
    files = sorted(str(p) for p in CORPUS.iterdir() if p.is_file())
    first, late = files[: len(files) // 2], files[len(files) // 2:]
    sqlite = _pipeline(str(tmp_path / "s.db"), [str(CORPUS)])
    want = _export(sqlite)
    pg = _pipeline(pg_url, first)          # half, linked; then the rest, linked incrementally
    pg.close()
    pg = _pipeline(pg_url, late)
    got = _export(pg)
    assert want and got == want
    from letopis.link import link_store
    link_store(pg, full=True)
    assert _export(pg) == want
    pg.close()
    sqlite.close()
