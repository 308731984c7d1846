"""Document identity and versions: idempotent re-runs, edits, duplicates, access levels, evidence text."""
import io

import pytest
from sqlalchemy import select, update

from letopis.errors import NotFoundError
from letopis.ingest import IngestOptions, ingest_paths
from letopis.store.documents import get_document, list_documents, store_stats
from letopis.store.schema import documents, sources

from conftest import EN_REPORT, RU_REPORT, UK_REPORT, front_matter, write


def state(store):
    with store.engine.connect() as conn:
        docs = [tuple(r) for r in conn.execute(select(
            documents.c.id, documents.c.sha256, documents.c.name, documents.c.status, documents.c.previous_id,
            documents.c.access, documents.c.updated_at))]
        srcs = [tuple(r) for r in conn.execute(select(
            sources.c.id, sources.c.path, sources.c.document_id, sources.c.status, sources.c.updated_at))]
    return docs, srcs


def by_name(store):
    with store.engine.connect() as conn:
        return {r.name: r for r in conn.execute(select(documents))}


def test_store_same_folder_twice_changes_nothing(store, tmp_path):
    write(tmp_path / "a.md", RU_REPORT)
    write(tmp_path / "b" / "c.txt", EN_REPORT)
    write(tmp_path / "empty.md", "")
    first = ingest_paths(store, [str(tmp_path)])
    before = state(store)
    second = ingest_paths(store, [str(tmp_path)])
    assert (first.ingested, first.unchanged, first.failed) == (2, 0, 1)
    assert (second.ingested, second.unchanged, second.failed) == (0, 2, 1)
    assert state(store) == before                      # not even a timestamp moved


def test_store_same_text_under_two_paths_is_one_document(store, tmp_path):
    write(tmp_path / "x" / "report.md", UK_REPORT)
    write(tmp_path / "y" / "copy.md", UK_REPORT)
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.ingested == 2
    docs, srcs = state(store)
    assert len(docs) == 1 and len(srcs) == 2
    assert {s[2] for s in srcs} == {docs[0][0]}
    assert get_document(store, docs[0][0])["sources"] == ["x/report.md", "y/copy.md"]


def test_store_edited_file_is_new_version_and_old_superseded(store, tmp_path):
    path = write(tmp_path / "a.md", RU_REPORT)
    ingest_paths(store, [str(tmp_path)])
    old = by_name(store)["a.md"]
    path.write_text(RU_REPORT + "Дополнено: всех задержанных отпустили.\n", encoding="utf-8")
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.ingested == 1
    with store.engine.connect() as conn:
        rows = conn.execute(select(documents).order_by(documents.c.id)).all()
        src = conn.execute(select(sources)).one()
    assert [r.status for r in rows] == ["superseded", "stored"]
    assert rows[1].previous_id == old.id and src.document_id == rows[1].id
    # editing it back revives the first version rather than storing it again
    path.write_text(RU_REPORT, encoding="utf-8")
    ingest_paths(store, [str(tmp_path)])
    with store.engine.connect() as conn:
        rows = conn.execute(select(documents).order_by(documents.c.id)).all()
    assert [r.status for r in rows] == ["stored", "superseded"]


def test_store_edit_keeps_old_version_alive_while_another_path_holds_it(store, tmp_path):
    a = write(tmp_path / "a.md", EN_REPORT)
    write(tmp_path / "b.md", EN_REPORT)
    ingest_paths(store, [str(tmp_path)])
    a.write_text(EN_REPORT + "Update: they were released.\n", encoding="utf-8")
    ingest_paths(store, [str(tmp_path)])
    with store.engine.connect() as conn:
        rows = conn.execute(select(documents).order_by(documents.c.id)).all()
    assert [r.status for r in rows] == ["stored", "stored"] and rows[1].previous_id == rows[0].id


def test_store_superseded_extracted_document_comes_back_extracted(store, tmp_path):
    path = write(tmp_path / "a.md", EN_REPORT)
    ingest_paths(store, [str(tmp_path)])
    with store.engine.begin() as conn:
        conn.execute(update(documents).values(status="extracted", extractor="test.v1"))
    path.write_text(UK_REPORT, encoding="utf-8")
    ingest_paths(store, [str(tmp_path)])
    path.write_text(EN_REPORT, encoding="utf-8")
    ingest_paths(store, [str(tmp_path)])
    with store.engine.connect() as conn:
        rows = conn.execute(select(documents).order_by(documents.c.id)).all()
    assert [(r.status, r.extractor) for r in rows] == [("extracted", "test.v1"), ("superseded", None)]


def test_store_access_from_flag_and_front_matter(store, tmp_path):
    write(tmp_path / "plain.md", EN_REPORT)
    write(tmp_path / "public.md", front_matter(RU_REPORT, access="public"))
    write(tmp_path / "secret.md", front_matter(UK_REPORT, access="confidential"))
    ingest_paths(store, [str(tmp_path)], IngestOptions(access="restricted"))
    d = by_name(store)
    assert (d["plain.md"].access, d["public.md"].access, d["secret.md"].access) == \
        ("restricted", "public", "confidential")
    # a stricter flag later tightens what the front matter does not set; it never loosens
    ingest_paths(store, [str(tmp_path)], IngestOptions(access="confidential"))
    ingest_paths(store, [str(tmp_path)], IngestOptions(access="public"))
    d = by_name(store)
    assert (d["plain.md"].access, d["public.md"].access) == ("confidential", "public")


def test_store_evidence_contract_text_is_the_file(store, tmp_path):
    body = front_matter("\ufeffНе BOM в начале, а в теле.\r\n" + RU_REPORT + "\rконец", title="x", date="2011")
    path = write(tmp_path / "a.md", "\ufeff" + body)
    ingest_paths(store, [str(tmp_path)])
    text = by_name(store)["a.md"].text
    with open(path, encoding="utf-8") as f:
        expected = f.read()
    assert text == expected
    i = expected.index("милиция задержала")
    assert text[i:i + 17] == "милиция задержала"


def test_store_failed_file_is_retried_and_can_succeed(store, tmp_path):
    write(tmp_path / "big.md", RU_REPORT * 20)
    stats = ingest_paths(store, [str(tmp_path)], IngestOptions(max_bytes=1000))
    assert stats.failures[0][1] == "E013" and "over the limit" in stats.failures[0][2]
    stats = ingest_paths(store, [str(tmp_path)], IngestOptions(max_bytes=100_000))
    assert (stats.ingested, stats.failed) == (1, 0)
    with store.engine.connect() as conn:
        src = conn.execute(select(sources)).one()
    assert (src.status, src.error_code) == ("ok", None)


def test_store_stdin_document(store):
    raw = front_matter(EN_REPORT, title="From a pipe").encode()
    stats = ingest_paths(store, ["-"], stdin=io.BytesIO(raw))
    again = ingest_paths(store, ["-"], stdin=io.BytesIO(raw))
    assert stats.ingested == 1 and again.unchanged == 1
    (doc,) = list(list_documents(store))
    assert doc["name"].startswith("stdin-") and doc["title"] == "From a pipe" and doc["format"] == "stdin"
    assert get_document(store, doc["id"])["text"] == raw.decode()
    empty = ingest_paths(store, ["-"], stdin=io.BytesIO(b""))
    assert empty.failures[0][1] == "E011"


def test_store_get_missing_document_raises_not_found(store):
    with pytest.raises(NotFoundError) as e:
        get_document(store, 99)
    assert e.value.code == "E060"


def test_store_stats_counts(store, tmp_path):
    write(tmp_path / "a.md", RU_REPORT)
    write(tmp_path / "b.md", EN_REPORT)
    write(tmp_path / "c.md", b"\x00\x01\x02junk")
    ingest_paths(store, [str(tmp_path)])
    st = store_stats(store)
    assert st["documents"] == 3 and st["sources"] == 3 and st["failed_sources"] == 1
    assert st["documents_by_status"] == {"failed": 1, "stored": 2}
    assert st["documents_by_language"] == {"None": 1, "en": 1, "ru": 1}
