"""Shared fixtures: an in-memory store, file builders, a CLI runner and a canonical dump of a store."""
from __future__ import annotations

import io
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RU_REPORT = ("В субботу в Гомеле прошёл марш против произвола властей. По данным правозащитников, "
             "милиция задержала не менее двадцати участников, среди них двое журналистов.\n")
UK_REPORT = ("У вівторок біля будівлі суду в Харкові відбувся мітинг на підтримку затриманого активіста. "
             "Поліція склала протоколи на кількох учасників.\n")
EN_REPORT = ("Workers at the bus depot walked out on Monday, demanding unpaid wages. "
             "Police dispersed a picket outside the depot and detained three strikers.\n")


@pytest.fixture
def store():
    from letopis.store import open_store
    s = open_store(":memory:")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "test.db")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


def front_matter(body: str, **meta) -> str:
    lines = ["---", *(f"{k}: {v}" for k, v in meta.items()), "---", ""]
    return "\n".join(lines) + body


def make_pdf(text: str | None, *, title: str | None = None, date=None) -> bytes:
    """A small PDF with ``text`` in a text layer, or a drawing only (a 'scan') when text is None."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    if title:
        pdf.set_title(title)
    if date is not None:
        pdf.set_creation_date(date)
    if text is None:
        pdf.rect(20, 20, 120, 160, style="F")
    else:
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


ARTICLE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Teachers rally in the capital</title><meta name="date" content="2019-03-05">
<meta property="og:title" content="Teachers rally in the capital"></head><body>
<nav><ul><li><a href="/">Home page navigation</a></li><li><a href="/world">World section menu</a></li></ul></nav>
<article><h1>Teachers rally in the capital</h1>
<p>Several thousand teachers marched to the ministry of education on Tuesday, demanding a pay rise
that was promised two years ago. Organisers said the march was the largest since the strike of 2016.</p>
<p>Police blocked the bridge to the government quarter and detained at least twelve people, according
to a union lawyer who was present. The ministry said it would meet the union next week.</p>
<p>The union warned that a national strike could follow if the talks fail, and asked parents for support.</p>
</article>
<footer><p>Copyright Example Daily Footer. All rights reserved. Privacy policy and cookie settings.</p></footer>
</body></html>"""

EMPTY_HTML = """<!doctype html><html><head><title>Index</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
<footer>© Example</footer></body></html>"""


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def last_line(self) -> str:
        lines = [l for l in self.out.splitlines() if l.strip()]
        return lines[-1] if lines else ""


@pytest.fixture
def cli(capsysbinary, monkeypatch, tmp_path):
    """Run `letopis ARGS...` in this process; returns exit code, stdout and stderr (decoded)."""
    monkeypatch.delenv("LETOPIS_DB", raising=False)
    monkeypatch.delenv("LETOPIS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str, stdin: bytes | None = None) -> CliResult:
        from letopis.cli import main
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main([str(a) for a in args])
        cap = capsysbinary.readouterr()
        return CliResult(code, cap.out.decode("utf-8"), cap.err.decode("utf-8"))
    return run


def dump_db(path: str) -> list[tuple]:
    """Everything a run decides, without the timestamps: documents and sources, in id order."""
    con = sqlite3.connect(path)
    try:
        docs = con.execute("SELECT id, sha256, name, format, raw, text, title, date, language, meta, "
                           "meta_error, access, status, error_code, error, previous_id, extractor "
                           "FROM documents ORDER BY id").fetchall()
        srcs = con.execute("SELECT id, path, name, document_id, status, error_code, error "
                           "FROM sources ORDER BY id").fetchall()
        return [("documents", *d) for d in docs] + [("sources", *s) for s in srcs]
    finally:
        con.close()


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
