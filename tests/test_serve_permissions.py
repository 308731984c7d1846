"""Confidential records stay invisible through every route, for a reader and for an anonymous visitor."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from letopis.serve import create_app
from webfixtures import SECRET_PLACE, SECRET_WORD, build_store, login, page_csrf

FORMATS = ("events-jsonl", "acled-csv", "ftm", "geojson", "csv", "figures-csv")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("perm") / "perm.db")
    store, ids = build_store(db)
    store.close()
    return db, ids


@pytest.fixture(params=["reader", "anonymous"])
def client(request, world):
    db, ids = world
    app = create_app(db, anonymous=request.param == "anonymous")
    c = TestClient(app)
    if request.param == "reader":
        assert login(c, "reader").status_code == 303
    return c, ids


def _leaks(text: str, ids: dict, url: str = "") -> list[str]:
    from urllib.parse import parse_qs, unquote, urlsplit
    for seg in urlsplit(url).path.split("/"):                    # the request's own id, echoed in "no event …"
        if len(seg) > 4:
            text = text.replace(unquote(seg), "")
    for values in parse_qs(urlsplit(url).query).values():       # the query echoed in the search box
        for v in values:
            text = text.replace(v, "").replace(quote(v), "").replace(quote(v, safe=""), "")
    bad = ["Источник просил", "активист", SECRET_WORD, SECRET_PLACE, "Taraz", ids["SECRET_ONLY"], "ru_secret.md", "ru_restricted.md",
           "не менее 64", "правозащитников"]
    return [b for b in bad if b in text]


GETS = ["/search", "/search?q=Секретов", "/search?q=задержан", "/search?q=Тараз", "/events", "/events?type=detention",
        "/events?country=KZ", "/documents", "/documents?q=Секретов", "/entities", "/entities?q=Секрет",
        "/entities?kind=person", "/timeline", "/map", "/api/v1/events", "/api/v1/events?type=detention&limit=500",
        "/api/v1/documents?limit=500", "/api/v1/documents?q=Секретов", "/api/v1/search?q=Секретов",
        "/api/v1/search?q=Тараз", "/api/v1/search?q=задержание", "/api/v1/entities?limit=500",
        "/api/v1/entities?q=Секрет", "/api/v1/timeline", "/api/v1/timeline?grain=day", "/api/v1/map?zoom=10",
        "/api/v1/events?actor=Иван%20Секретов", "/api/v1/events?place=Тараз", "/api/v1/events?min_detained=1",
        "/api/v1/documents?status=extracted&limit=500", "/api/v1/events?source=ru_secret"]


def test_serve_permissions_no_route_leaks_confidential(client):
    c, ids = client
    for url in GETS:
        r = c.get(url, headers={"accept": "text/html"})
        assert r.status_code == 200, url
        assert _leaks(r.text, ids, url) == [], url


def test_serve_permissions_direct_urls_are_404(client):
    c, ids = client
    doc = ids["ru_secret.md"]
    restricted = ids["ru_restricted.md"]
    for url in [f"/events/{ids['SECRET_ONLY']}", f"/api/v1/events/{ids['SECRET_ONLY']}", f"/documents/{doc}",
                f"/api/v1/documents/{doc}", f"/documents/{restricted}", f"/api/v1/documents/{restricted}",
                f"/entities/person/{quote('Иван Секретов')}", f"/api/v1/entities/person/{quote('Иван Секретов')}",
                f"/entities/place/Taraz", f"/api/v1/entities/place/Taraz"]:
        r = c.get(url)
        assert r.status_code == 404, url
        assert _leaks(r.text, ids, url) == [], url
        if url.startswith("/api/"):
            assert r.json()["error"]["code"] == "not_found"


def test_serve_permissions_exports_hold_only_cleared_records(client):
    c, ids = client
    for fmt in FORMATS:
        r = c.get(f"/api/v1/export?format={fmt}")
        assert r.status_code == 200, fmt
        assert _leaks(r.text, ids) == [], fmt
        assert "Zhanaozen" in r.text or "Жанаозен" in r.text or fmt == "figures-csv"


def test_serve_permissions_mixed_event_reconciled_from_visible_reports_only(client):
    c, ids = client
    ev = c.get(f"/api/v1/events/{ids['MIXED']}").json()
    assert ev["figures"]["killed"] == {"low": 16, "best": 16, "high": 16}
    assert [m["doc"] for m in ev["mentions"]] == ["ru_public.md"]
    page = c.get(f"/events/{ids['MIXED']}").text
    assert "64" not in page.split('id="figures"')[1].split("</table>")[0]
    assert _leaks(page, ids) == []


def test_serve_permissions_counts_exclude_confidential(client):
    c, ids = client
    assert c.get("/api/v1/events").json()["total"] == 3
    assert c.get("/api/v1/documents").json()["total"] == 3
    tl = c.get("/api/v1/timeline?grain=year").json()
    assert sum(b["total"] for b in tl["buckets"]) + tl["undated"] == 3
    assert c.get("/api/v1/map?zoom=0").json()["points"] == 3
    assert c.get("/api/v1/search?q=Секретов").json()["documents"]["total"] == 0


def test_serve_permissions_review_routes_refuse(client):
    c, ids = client
    eid = ids["SECRET_ONLY"]
    for action in ("accept", "reject"):
        r = c.post(f"/api/v1/events/{eid}/{action}")
        assert r.status_code in (401, 403)
    r = c.post(f"/api/v1/events/{ids['MIXED']}/correct", json={"field": "type", "value": "riot"})
    assert r.status_code in (401, 403)
    assert c.get("/review", follow_redirects=False).status_code in (401, 403)
    assert c.get("/ingest", follow_redirects=False).status_code in (401, 403)
    assert c.get("/api/v1/audit").status_code in (401, 403)


def test_serve_permissions_editor_cannot_touch_above_clearance(world):
    db, ids = world
    c = TestClient(create_app(db))
    login(c, "editor")                                   # clearance: restricted
    tok = page_csrf(c)
    h = {"x-csrf-token": tok}
    assert c.post(f"/api/v1/events/{ids['SECRET_ONLY']}/accept", headers=h).status_code == 404
    r = c.post(f"/api/v1/events/{ids['MIXED']}/merge", json={"other": ids["SECRET_ONLY"]}, headers=h)
    assert r.status_code == 404
    assert c.get(f"/events/{ids['SECRET_ONLY']}").status_code == 404
    ev = c.get(f"/api/v1/events/{ids['MIXED']}").json()      # restricted report visible to the editor
    assert ev["figures"]["killed"]["high"] == 64


def test_serve_permissions_admin_sees_everything(world):
    db, ids = world
    c = TestClient(create_app(db))
    login(c, "admin")
    assert c.get(f"/events/{ids['SECRET_ONLY']}").status_code == 200
    assert SECRET_WORD in c.get(f"/documents/{ids['ru_secret.md']}").text
    assert c.get("/api/v1/events").json()["total"] == 4
    assert c.get("/api/v1/search?q=Секретов").json()["documents"]["total"] == 1
    lines = [json.loads(x) for x in c.get("/api/v1/export?format=events-jsonl").text.splitlines()]
    assert ids["SECRET_ONLY"] in {x["id"] for x in lines}
