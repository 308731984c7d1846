"""REST API: pagination, one error shape, tokens, streaming exports, search by lemma with highlighted passages."""
from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from fastapi.testclient import TestClient

from letopis.serve import create_app
from letopis.serve.search import fts_query, lemma_stream, passage
from letopis.serve.users import create_token
from webfixtures import build_store, login, page_csrf


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("api") / "api.db")
    store, ids = build_store(db)
    token = create_token(store, 3, "tests")           # admin
    store.close()
    return db, ids, token


@pytest.fixture
def api(world):
    db, ids, token = world
    c = TestClient(create_app(db), headers={"authorization": f"Bearer {token}"})
    return c, ids


def test_serve_api_pagination(api):
    c, _ = api
    first = c.get("/api/v1/events?limit=2").json()
    assert first["total"] == 4 and len(first["items"]) == 2 and "offset=2" in first["next"]
    second = c.get(first["next"].replace("http://testserver", "")).json()
    assert second["next"] is None and len(second["items"]) == 2
    assert {e["id"] for e in first["items"]}.isdisjoint({e["id"] for e in second["items"]})


def test_serve_api_error_shape_everywhere(api):
    c, _ = api
    for url, status in [("/api/v1/events/evt-nope", 404), ("/api/v1/documents/999999", 404),
                        ("/api/v1/events?limit=0", 422), ("/api/v1/documents/abc", 422),
                        ("/api/v1/nothing", 404), ("/api/v1/export?format=xml", 422),
                        ("/api/v1/events?date_from=yesterday", 422)]:
        r = c.get(url)
        assert r.status_code == status, url
        body = r.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, url
    r = c.delete("/api/v1/events")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_serve_api_server_error_is_json(world, monkeypatch):
    db, ids, token = world
    c = TestClient(create_app(db), headers={"authorization": f"Bearer {token}"}, raise_server_exceptions=False)
    from letopis.serve import data
    monkeypatch.setattr(data, "event_views", lambda *a, **k: 1 / 0)
    r = c.get("/api/v1/events")
    assert r.status_code == 500 and r.json()["error"]["code"] == "internal"


def test_serve_api_openapi_describes_the_api(api):
    c, _ = api
    spec = c.get("/openapi.json").json()
    for p in ("/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/documents", "/api/v1/documents/{doc_id}",
              "/api/v1/entities", "/api/v1/search", "/api/v1/export", "/api/v1/events/{event_id}/correct"):
        assert p in spec["paths"], p
    assert not any(p.startswith("/events") for p in spec["paths"])    # pages stay out of the API description


@pytest.mark.parametrize("fmt", ["events-jsonl", "acled-csv", "ftm", "geojson", "csv", "figures-csv"])
def test_serve_api_export_streams_every_format(api, fmt):
    c, _ = api
    with c.stream("GET", f"/api/v1/export?format={fmt}") as r:
        assert r.status_code == 200
        body = b"".join(r.iter_bytes()).decode()
    assert body.strip()
    if fmt == "events-jsonl":
        assert len(body.splitlines()) == 4 and all(json.loads(x)["id"] for x in body.splitlines())
    if fmt == "geojson":
        assert json.loads(body)["type"] == "FeatureCollection"


def test_serve_api_search_by_lemma_with_passage(api):
    c, ids = api
    r = c.get("/api/v1/search", params={"q": "расстрелом"}).json()     # the text says "Расстрел"
    docs = r["documents"]["items"]
    assert [d["name"] for d in docs] == ["ru_public.md"]
    hits = [p["text"] for p in docs[0]["passage"] if p["hit"]]
    assert hits == ["Расстрел"]
    assert r["events"]["items"][0]["id"] == ids["MIXED"]
    uk = c.get("/api/v1/search", params={"q": "страйку"}).json()        # Ukrainian: "страйк"
    assert [d["name"] for d in uk["documents"]["items"]] == ["uk_strike.md"]
    none = c.get("/api/v1/search", params={"q": '"unbalanced ( AND OR NEAR'}).json()
    assert none["documents"]["total"] == 0


def test_serve_api_search_filters(api):
    c, ids = api
    assert c.get("/api/v1/events", params={"type": "strike"}).json()["total"] == 1
    assert c.get("/api/v1/events", params={"min_killed": 50}).json()["total"] == 1
    assert c.get("/api/v1/events", params={"min_killed": 100}).json()["total"] == 0
    assert c.get("/api/v1/events", params={"country": "kg"}).json()["items"][0]["id"] == ids["HOSTILE"]
    assert c.get("/api/v1/events", params={"date_from": "2021", "date_to": "2021-12"}).json()["total"] == 1
    assert c.get("/api/v1/events", params={"actor": "полиция"}).json()["total"] == 1
    assert c.get("/api/v1/events", params={"place": "Zhanaozen"}).json()["total"] == 1
    assert c.get("/api/v1/documents", params={"language": "uk"}).json()["total"] == 1
    assert c.get("/api/v1/documents", params={"source": "ru_"}).json()["total"] == 3


def test_serve_api_entities_timeline_map(api):
    c, ids = api
    ents = c.get("/api/v1/entities").json()["items"]
    assert {"kind": "person", "name": "Иван Секретов", "events": 1} in [
        {k: e[k] for k in ("kind", "name", "events")} for e in ents]
    assert c.get("/api/v1/entities/place/Zhanaozen").json()["events"] == [ids["MIXED"]]
    tl = c.get("/api/v1/timeline?grain=year").json()
    assert [b["key"] for b in tl["buckets"]] == ["2011", "2020", "2021"]
    m = c.get("/api/v1/map?zoom=0").json()
    assert m["points"] == 4 and sum(x["count"] for x in m["clusters"]) == 4
    far = c.get("/api/v1/map?zoom=8&west=0&east=10&south=0&north=10").json()
    assert far["points"] == 0


def test_serve_api_search_helpers():
    assert lemma_stream("Расстрелом митингов", "ru") == "расстрел митинг"
    assert fts_query("") is None
    segs = passage("Был расстрел у завода.", lemma_stream("Был расстрел у завода.", "ru"), "расстрела")
    assert ("расстрел", True) in segs


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_serve_api_ingest_upload_refuses_unsafe_names(world, tmp_path):
    from letopis.serve.ingest_jobs import safe_relpath, unpack
    assert safe_relpath("../../etc/passwd") is None and safe_relpath("/abs/x.md") is None
    assert safe_relpath("C:\\win\\x.md") is None
    assert safe_relpath("ok/dir/report one.md") == "ok/dir/report_one.md"
    fails: list = []
    n = unpack([("a.zip", _zip({"../evil.md": "x", "good/one.md": "текст", "big.md": "y" * 50}))],
               str(tmp_path), max_bytes=40, max_total=10_000, failures=fails)
    assert n == 1 and (tmp_path / "good/one.md").exists() and not (tmp_path.parent / "evil.md").exists()
    assert {f[0] for f in fails} == {"../evil.md", "big.md"}


def test_serve_api_ingest_from_the_browser(tmp_path):
    db = str(tmp_path / "ing.db")
    store, ids = build_store(db)
    app = create_app(db)
    c = TestClient(app)
    login(c, "editor")
    tok = page_csrf(c, "/ingest")
    data = _zip({"new/report.md": "---\ntitle: Новый отчёт\n---\nВ Алматы прошёл митинг.\n", "../x.md": "bad",
                 "empty.md": ""})
    r = c.post("/ingest", data={"csrf": tok, "access": "public"}, files={"files": ("batch.zip", data)},
               follow_redirects=False)
    assert r.status_code == 303
    job_url = r.headers["location"]
    for _ in range(600):
        job = c.get(job_url, headers={"accept": "application/json"}).json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["state"] == "done", job
    reasons = {f["name"]: f["reason"] for f in job["failures"]}
    assert "unsafe" in reasons["../x.md"] and any("E011" in v for v in reasons.values())
    docs = c.get("/api/v1/documents?q=митинг").json()["items"]
    assert any(d["name"].endswith("new/report.md") for d in docs)
    too_high = c.post("/ingest", data={"csrf": tok, "access": "confidential"}, files={"files": ("a.md", b"x")})
    assert too_high.status_code == 403                # an editor is cleared to restricted only
