"""`letopis ingest` and friends on a folder of good files mixed with every kind of bad input."""
import json
import os
import subprocess
import sys

import pytest

from conftest import (ARTICLE_HTML, EMPTY_HTML, EN_REPORT, ROOT, RU_REPORT, UK_REPORT, front_matter, make_pdf,
                      write)

GOOD = 6        # good.md, uk.txt, page.html, report.pdf, arch.jsonl#1, badfm.md (front matter broken, text kept)
BAD = {          # name: code
    "cp_bad.txt": "E010", "empty.md": "E011", "junk.md": "E012", "huge.md": "E013", "corrupt.pdf": "E014",
    "scan.pdf": "E015", "nav.html": "E016", "locked.md": "E017", "loop": "E018",
}


def mixed_folder(root, monkeypatch):
    write(root / "good.md", front_matter(RU_REPORT, title="Марш", date="2020-10", access="restricted"))
    write(root / "uk.txt", UK_REPORT.encode("cp1251"))
    write(root / "page.html", ARTICLE_HTML)
    write(root / "report.pdf", make_pdf(EN_REPORT))
    write(root / "arch.jsonl", json.dumps({"text": EN_REPORT + " (archive)", "title": "t"}) + "\n")
    write(root / "badfm.md", "---\ntitle: [oops\n---\n" + EN_REPORT)
    write(root / "cp_bad.txt", bytes(range(0x80, 0x100)) * 6)
    write(root / "empty.md", b"")
    write(root / "junk.md", b"\x00\x01binary\x02\x03" * 100)
    write(root / "huge.md", "слово " * 400)
    write(root / "corrupt.pdf", make_pdf(EN_REPORT)[:300])
    write(root / "scan.pdf", make_pdf(None))
    write(root / "nav.html", EMPTY_HTML)
    locked = write(root / "locked.md", RU_REPORT)
    os.symlink(".", root / "loop")
    real_open = os.open

    def guarded(path, flags, *a, **kw):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a, **kw)
    monkeypatch.setattr(os, "open", guarded)


def test_cli_ingest_mixed_folder_keeps_good_files_and_reports_each_bad_one(cli, tmp_path, monkeypatch):
    mixed_folder(tmp_path / "in", monkeypatch)
    db = tmp_path / "m.db"
    r = cli("ingest", tmp_path / "in", "--db", db, "--no-extract", "--max-bytes", "2000")
    assert r.code == 1
    assert r.last_line == f"ingested {GOOD} / unchanged 0 / failed {len(BAD)}"
    for name, code in BAD.items():
        assert f"failed: {name}: [{code}]" in r.err, r.err
    assert "warning: badfm.md: [E030] front matter is not valid YAML" in r.err
    docs = cli("docs", "--db", db, "--json")
    rows = [json.loads(l) for l in docs.out.splitlines()]
    stored = {d["name"]: d for d in rows if d.get("status") in ("stored", "extracted")}
    assert set(stored) == {"good.md", "uk.txt", "page.html", "report.pdf", "arch.jsonl#1", "badfm.md"}
    assert stored["good.md"]["access"] == "restricted" and stored["uk.txt"]["access"] == "public"
    assert "not valid YAML" in stored["badfm.md"]["meta_error"]
    failed = cli("docs", "--db", db, "--failed")
    assert failed.code == 0
    for name, code in BAD.items():
        line = next(l for l in failed.out.splitlines() if f" {name} " in l + " ")
        assert f"[{code}]" in line
    assert "no text layer" in failed.out
    again = cli("ingest", tmp_path / "in", "--db", db, "--no-extract", "--max-bytes", "2000")
    assert again.code == 1 and again.last_line == f"ingested 0 / unchanged {GOOD} / failed {len(BAD)}"


def test_cli_ingest_clean_folder_exits_zero_with_access_flag(cli, tmp_path):
    write(tmp_path / "in" / "a.md", RU_REPORT)
    r = cli("ingest", tmp_path / "in", "--db", tmp_path / "c.db", "--no-extract", "--access", "confidential", "--quiet")
    assert r.code == 0 and r.last_line == "ingested 1 / unchanged 0 / failed 0"
    assert "ingest" not in r.err                           # --quiet: no progress
    doc = cli("doc", "1", "--db", tmp_path / "c.db")
    assert "access: confidential" in doc.out and "language: ru" in doc.out


def test_cli_doc_text_prints_exactly_the_file(cli, tmp_path):
    body = "\ufeff" + front_matter(RU_REPORT + "\r\nвторая строка\r\n", title="x")
    path = write(tmp_path / "in" / "a.md", body)
    cli("ingest", path, "--db", tmp_path / "d.db", "--no-extract")
    r = cli("doc", "1", "--db", tmp_path / "d.db", "--text")
    with open(path, encoding="utf-8") as f:
        assert r.out == f.read()
    meta = cli("doc", "1", "--db", tmp_path / "d.db", "--meta")
    assert json.loads(meta.out) == {"title": "x"}
    raw = cli("doc", "1", "--db", tmp_path / "d.db", "--raw")
    assert raw.out.encode("utf-8") == path.read_bytes()          # CRLF and BOM as in the file
    missing = cli("doc", "7", "--db", tmp_path / "d.db")
    assert missing.code == 1 and "[E060]" in missing.err


def test_cli_stdin_via_subprocess(tmp_path):
    db = tmp_path / "s.db"
    env = {**os.environ, "LETOPIS_DB": str(db)}
    r = subprocess.run([sys.executable, "-m", "letopis", "ingest", "-", "--no-extract"],
                       input=EN_REPORT.encode(), capture_output=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().strip().splitlines()[-1] == "ingested 1 / unchanged 0 / failed 0"
    out = subprocess.run([sys.executable, "-m", "letopis", "doc", "1", "--text"], capture_output=True,
                         env=env, timeout=120)
    assert out.stdout.decode() == EN_REPORT


def test_cli_stats_and_usage_errors(cli, tmp_path):
    write(tmp_path / "in" / "a.md", RU_REPORT)
    cli("ingest", tmp_path / "in", "--db", tmp_path / "s.db", "--no-extract")
    r = cli("stats", "--db", tmp_path / "s.db", "--json")
    assert json.loads(r.out)["documents"] == 1
    text = cli("stats", "--db", tmp_path / "s.db")
    assert "documents: 1" in text.out and "documents by language: ru 1" in text.out
    bad = cli("ingest", tmp_path / "in", "--db", tmp_path / "s.db", "--workers", "0")
    assert bad.code == 2 and "[E070]" in bad.err
    with pytest.raises(SystemExit) as e:
        cli("ingest", "--access", "nobody", "x")
    assert e.value.code == 2


def test_cli_db_default_from_environment(cli, tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.md", EN_REPORT)
    monkeypatch.setenv("LETOPIS_DB", str(tmp_path / "env.db"))
    from letopis.cli import main
    assert main(["ingest", str(tmp_path / "in"), "--no-extract", "--quiet"]) == 0
    assert (tmp_path / "env.db").exists()


def test_cli_every_command_has_help_with_example():
    from letopis.cli import build_parser
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) >= {"ingest", "docs", "doc", "events", "export", "stats"}
    for name, p in sub.choices.items():
        text = p.format_help()
        assert "example:" in text and f"letopis {name}" in text, name


def test_cli_entry_point_runs_as_module():
    r = subprocess.run([sys.executable, "-m", "letopis", "--help"], capture_output=True, text=True, timeout=60,
                       cwd=ROOT)
    assert r.returncode == 0 and "ingest" in r.stdout and "export" in r.stdout


def test_cli_ingest_archive_field_flags(cli, tmp_path):
    rec = {"story": RU_REPORT, "heading": "Марш", "when": "2020-10-12", "where": "https://example.org/m"}
    write(tmp_path / "in" / "news.jsonl", json.dumps(rec, ensure_ascii=False) + "\n")
    db = tmp_path / "a.db"
    plain = cli("ingest", tmp_path / "in", "--db", db, "--no-extract")
    assert plain.code == 1 and "failed: news.jsonl#1: [E020]" in plain.err and "--text-field" in plain.err
    named = cli("ingest", tmp_path / "in", "--db", db, "--no-extract", "--text-field", "story",
                "--title-field", "heading", "--date-field", "when", "--url-field", "where")
    assert named.code == 0 and named.last_line == "ingested 1 / unchanged 0 / failed 0"
    doc = json.loads(cli("docs", "--db", db, "--json").out.splitlines()[0])
    assert (doc["name"], doc["title"], doc["date"], doc["status"]) == ("news.jsonl#1", "Марш", "2020-10-12", "stored")
    assert json.loads(cli("doc", doc["id"], "--db", db, "--meta").out)["url"] == "https://example.org/m"
