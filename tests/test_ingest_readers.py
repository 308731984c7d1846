"""Every format letopis reads: what it stores for each, and the failures each can give."""
import datetime as dt
import json

import pytest
from sqlalchemy import select

from letopis.ingest import FieldNames, IngestOptions, ingest_paths
from letopis.store.schema import documents, sources

from conftest import (ARTICLE_HTML, EMPTY_HTML, EN_REPORT, RU_REPORT, UK_REPORT, front_matter, make_pdf,
                      write)


def rows(store, table=documents):
    with store.engine.connect() as conn:
        return {r.name: r for r in conn.execute(select(table))}


def test_readers_markdown_front_matter_fields_and_partial_dates(store, tmp_path):
    write(tmp_path / "a.md", front_matter(RU_REPORT, title='"Марш в Гомеле"', date='"2010-11"',
                                          author="Редакция", url="https://example.org/a",
                                          country="BY", tags="[марш, задержания]"))
    write(tmp_path / "b.md", front_matter(EN_REPORT, date="2014", title="Depot strike"))
    write(tmp_path / "c.md", front_matter(UK_REPORT, date="2013-12-18"))
    stats = ingest_paths(store, [str(tmp_path)])
    assert (stats.ingested, stats.failed) == (3, 0)
    d = rows(store)
    a = d["a.md"]
    assert (a.title, a.date, a.language, a.format, a.status) == ("Марш в Гомеле", "2010-11", "ru", "md", "stored")
    meta = json.loads(a.meta)
    assert meta["author"] == "Редакция" and meta["country"] == "BY" and meta["tags"] == ["марш", "задержания"]
    assert d["b.md"].date == "2014" and d["b.md"].language == "en"
    assert d["c.md"].date == "2013-12-18" and d["c.md"].language == "uk"
    assert d["c.md"].title == UK_REPORT.split("\n")[0][:300]     # no title: the first line


def test_readers_front_matter_language_wins_over_detection(store, tmp_path):
    write(tmp_path / "kk.md", front_matter(RU_REPORT, language="kk"))
    ingest_paths(store, [str(tmp_path)])
    assert rows(store)["kk.md"].language == "kk"


def test_readers_malformed_front_matter_keeps_text_and_records_problem(store, tmp_path):
    text = "---\ntitle: [unclosed\ndate: 2020-01-01\n---\n" + RU_REPORT
    path = write(tmp_path / "bad.md", text)
    stats = ingest_paths(store, [str(tmp_path)])
    assert (stats.ingested, stats.failed, len(stats.warnings)) == (1, 0, 1)
    assert stats.warnings[0][0] == "bad.md" and "not valid YAML" in stats.warnings[0][1]
    doc = rows(store)["bad.md"]
    assert doc.status == "stored" and doc.text == path.read_text(encoding="utf-8")
    assert "not valid YAML" in doc.meta_error


def test_readers_bad_values_in_front_matter_are_reported(store, tmp_path):
    write(tmp_path / "x.md", front_matter(EN_REPORT, date="someday", access="secret"))
    ingest_paths(store, [str(tmp_path)])
    doc = rows(store)["x.md"]
    assert doc.date is None and "not a date" in doc.meta_error
    assert doc.access == "confidential" and "access" in doc.meta_error   # fails closed


def test_readers_txt_is_stored_whole(store, tmp_path):
    path = write(tmp_path / "r.txt", EN_REPORT + "\r\nSecond paragraph.\r\n")
    ingest_paths(store, [str(tmp_path)])
    doc = rows(store)["r.txt"]
    with open(path, encoding="utf-8") as f:
        assert doc.text == f.read()
    assert doc.format == "txt" and doc.raw == path.read_bytes()


def test_readers_html_keeps_article_not_menus(store, tmp_path):
    write(tmp_path / "page.html", ARTICLE_HTML)
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.ingested == 1
    doc = rows(store)["page.html"]
    assert "Several thousand teachers marched" in doc.text and "detained at least twelve" in doc.text
    assert "navigation" not in doc.text and "Footer" not in doc.text and "cookie" not in doc.text
    assert (doc.title, doc.date, doc.language, doc.format) == ("Teachers rally in the capital", "2019-03-05",
                                                               "en", "html")


def test_readers_html_in_cp1251_declared_by_meta(store, tmp_path):
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="windows-1251"').replace(
        "Several thousand teachers", "Несколько тысяч учителей")
    write(tmp_path / "ru.htm", page.encode("cp1251"))
    ingest_paths(store, [str(tmp_path)])
    assert "Несколько тысяч учителей" in rows(store)["ru.htm"].text


def test_readers_html_without_article_fails_e016(store, tmp_path):
    write(tmp_path / "index.html", EMPTY_HTML)
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.failed == 1 and stats.failures[0][1] == "E016"
    src = rows(store, sources)["index.html"]
    assert (src.status, src.error_code) == ("failed", "E016") and "no article text" in src.error


def test_readers_pdf_text_layer_and_metadata(store, tmp_path):
    body = ("Strikers at the copper smelter were dispersed by riot police on Friday. "
            "Dozens were injured, the union said.")
    write(tmp_path / "r.pdf", make_pdf(body, title="Smelter strike dispersed",
                                       date=dt.datetime(2021, 3, 18, 12, 0, tzinfo=dt.timezone.utc)))
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.ingested == 1
    doc = rows(store)["r.pdf"]
    assert "dispersed by riot police" in doc.text.replace("\n", " ")
    assert (doc.title, doc.date, doc.format, doc.language) == ("Smelter strike dispersed", "2021-03-18", "pdf", "en")


def test_readers_scanned_pdf_fails_no_text_layer(store, tmp_path):
    write(tmp_path / "scan.pdf", make_pdf(None))
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.failed == 1
    doc = rows(store)["scan.pdf"]
    assert doc.status == "failed" and doc.error_code == "E015" and "no text layer" in doc.error
    assert doc.raw.startswith(b"%PDF-")                     # the bytes are kept


def test_readers_corrupt_pdf_fails_e014(store, tmp_path):
    good = make_pdf("Some text in a report about a rally.")
    write(tmp_path / "cut.pdf", good[: len(good) // 3])
    write(tmp_path / "fake.pdf", b"this is not a pdf at all, just words\n")
    stats = ingest_paths(store, [str(tmp_path)])
    codes = sorted(c for _, c, _ in stats.failures)
    assert codes == ["E014", "E014"]


def test_readers_jsonl_detects_common_field_names(store, tmp_path):
    recs = [{"id": "a1", "headline": "Rally", "body": EN_REPORT, "published": "2016-10-05T08:00:00Z",
             "link": "https://example.org/1", "section": "world"},
            {"title": "Марш", "content": RU_REPORT, "publish_date": "2020-10-12"},
            {"id": "a3", "notes": UK_REPORT, "date": "2017"},
            {"id": "a4", "headline": "no text here"},
            [1, 2, 3]]
    write(tmp_path / "arch.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n\n{broken\n")
    stats = ingest_paths(store, [str(tmp_path)])
    assert (stats.ingested, stats.failed) == (3, 3)
    d = rows(store)
    a1 = d["arch.jsonl#a1"]
    assert (a1.text, a1.title, a1.date, a1.format, a1.language) == (EN_REPORT, "Rally", "2016-10-05", "jsonl", "en")
    meta = json.loads(a1.meta)
    assert meta["url"] == "https://example.org/1" and meta["section"] == "world"
    assert d["arch.jsonl#2"].title == "Марш" and d["arch.jsonl#2"].language == "ru"
    assert d["arch.jsonl#a3"].date == "2017"
    failures = {n: c for n, c, _ in stats.failures}
    assert failures == {"arch.jsonl#a4": "E020", "arch.jsonl#5": "E020", "arch.jsonl#7": "E020"}


def test_readers_csv_with_flags_and_legacy_encoding(store, tmp_path):
    csv_text = ("ID;Заголовок;Статья;Когда;Источник\n7;Пикет;\"" + RU_REPORT.strip()
                + "\";12.10.2020;https://example.org/7\n")
    write(tmp_path / "arch.csv", csv_text.encode("cp1251"))
    opts = IngestOptions(fields=FieldNames(text="статья", title="Заголовок", date="когда", url="источник"))
    stats = ingest_paths(store, [str(tmp_path)], opts)
    assert (stats.ingested, stats.failed) == (1, 0)
    doc = rows(store)["arch.csv#7"]
    assert (doc.text, doc.title, doc.date, doc.format) == (RU_REPORT.strip(), "Пикет", "2020-10-12", "csv")
    assert json.loads(doc.meta)["url"] == "https://example.org/7"


def test_readers_csv_record_identity_is_its_content(store, tmp_path):
    write(tmp_path / "a.csv", "text,date\n\"" + EN_REPORT.strip() + "\",2019-01-02\n")
    write(tmp_path / "b.csv", "date,text\n2019-01-02,\"" + EN_REPORT.strip() + "\"\n")
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.ingested == 2
    with store.engine.connect() as conn:
        assert len(conn.execute(select(documents)).all()) == 1   # same record, columns in another order
        assert len(conn.execute(select(sources)).all()) == 2


def test_readers_unknown_extension_skipped_in_folder_failed_when_named(store, tmp_path):
    write(tmp_path / "good.md", EN_REPORT)
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0 not really")
    write(tmp_path / ".hidden.md", EN_REPORT)
    stats = ingest_paths(store, [str(tmp_path)])
    assert (stats.ingested, stats.skipped, stats.failed) == (1, 1, 0)
    stats = ingest_paths(store, [str(tmp_path / "photo.jpg")])
    assert stats.failed == 1 and stats.failures[0][1] == "E019"


def test_readers_pdf_named_txt_is_read_as_pdf(store, tmp_path):
    write(tmp_path / "misnamed.txt", make_pdf("A report about a picket near the court."))
    ingest_paths(store, [str(tmp_path)])
    assert rows(store)["misnamed.txt"].format == "pdf"
