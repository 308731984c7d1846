"""Review: accept, reject, correct, merge, split; decisions and the audit log; replay after relinking."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text as sql

from letopis import pipeline
from letopis.serve import create_app
from letopis.serve.review import reapply_decisions
from webfixtures import build_store, login, page_csrf


@pytest.fixture
def editor(tmp_path):
    db = str(tmp_path / "review.db")
    store, ids = build_store(db)
    app = create_app(db)
    c = TestClient(app)
    login(c, "admin")
    return c, ids, app.state.store


def _rows(store, q):
    with store.engine.connect() as conn:
        return conn.execute(sql(q)).all()


def test_serve_review_accept_and_reject_in_one_click(editor):
    c, ids, store = editor
    tok = page_csrf(c, "/review")
    r = c.post(f"/review/{ids['STRIKE']}/accept?next=/review", data={"csrf": tok}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review"
    assert c.get(f"/api/v1/events/{ids['STRIKE']}").json()["status"] == "accepted"
    c.post(f"/review/{ids['HOSTILE']}/reject", data={"csrf": tok})
    assert c.get("/api/v1/events").json()["total"] == 3            # rejected events leave the lists
    assert ids["HOSTILE"] in c.get("/review?status=rejected").text
    kinds = [r.kind for r in _rows(store, "SELECT kind FROM decisions ORDER BY id")]
    assert kinds == ["accept", "reject"]
    audit = c.get("/api/v1/audit").json()["items"]
    assert audit[0]["action"] == "reject" and json.loads(audit[0]["before"]) == {"status": "machine"}
    assert json.loads(audit[0]["after"]) == {"status": "rejected"} and audit[0]["who"] == "admin"


def test_serve_review_correct_a_field(editor):
    c, ids, store = editor
    tok = page_csrf(c)
    r = c.post(f"/api/v1/events/{ids['STRIKE']}/correct", json={"field": "date_start", "value": "2021-03-11"},
               headers={"x-csrf-token": tok})
    assert r.status_code == 200
    ev = c.get(f"/api/v1/events/{ids['STRIKE']}").json()
    assert ev["date"]["start"] == "2021-03-11" and ev["corrected"] == ["date_start"]
    bad = c.post(f"/api/v1/events/{ids['STRIKE']}/correct", json={"field": "type", "value": "picnic"},
                 headers={"x-csrf-token": tok})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"
    extra = c.post(f"/api/v1/events/{ids['STRIKE']}/correct", json={"field": "type", "value": "riot", "x": 1},
                   headers={"x-csrf-token": tok})
    assert extra.status_code == 422 and extra.json()["error"]["code"] == "invalid"
    c.post(f"/review/{ids['STRIKE']}/correct", data={"csrf": tok, "field": "type", "value": "protest"})
    assert c.get(f"/api/v1/events/{ids['STRIKE']}").json()["type"] == "protest"
    row = _rows(store, "SELECT before, after FROM audit_log WHERE action = 'correct' ORDER BY id DESC")[0]
    assert json.loads(row.before) == {"type": "strike"} and json.loads(row.after) == {"type": "protest"}


def test_serve_review_correction_hidden_from_readers_below_its_evidence(editor):
    c, ids, store = editor
    c.post(f"/api/v1/events/{ids['MIXED']}/correct", json={"field": "place_name", "value": "Жанаозен-2"},
           headers={"x-csrf-token": page_csrf(c)})
    reader = TestClient(c.app)
    login(reader, "reader")
    assert reader.get(f"/api/v1/events/{ids['MIXED']}").json()["place"]["name"] == "Жанаозен"
    assert c.get(f"/api/v1/events/{ids['MIXED']}").json()["place"]["name"] == "Жанаозен-2"


def test_serve_review_merge_and_split(editor):
    c, ids, store = editor
    tok = page_csrf(c)
    r = c.post(f"/review/{ids['STRIKE']}/merge", data={"csrf": tok, "other": ids["HOSTILE"]}, follow_redirects=False)
    assert r.status_code == 303
    ev = c.get(f"/api/v1/events/{ids['STRIKE']}").json()
    assert sorted(m["doc"] for m in ev["mentions"]) == ["en_hostile.md", "uk_strike.md"]
    assert c.get(f"/api/v1/events/{ids['HOSTILE']}").status_code == 404
    mid = [m["mention_id"] for m in ev["mentions"] if m["doc"] == "en_hostile.md"]
    r = c.post(f"/review/{ids['STRIKE']}/split", data={"csrf": tok, "mention": mid}, follow_redirects=False)
    new = r.headers["location"].rsplit("/", 1)[1]
    assert [m["doc"] for m in c.get(f"/api/v1/events/{new}").json()["mentions"]] == ["en_hostile.md"]
    assert [m["doc"] for m in c.get(f"/api/v1/events/{ids['STRIKE']}").json()["mentions"]] == ["uk_strike.md"]
    solo = c.post(f"/api/v1/events/{new}/split", json={"mentions": mid}, headers={"x-csrf-token": tok})
    assert solo.status_code == 400                  # a split must leave something behind
    assert [r.kind for r in _rows(store, "SELECT kind FROM decisions ORDER BY id")] == ["merge", "split"]


def test_serve_review_decisions_survive_relinking(editor):
    c, ids, store = editor
    tok = page_csrf(c)
    c.post(f"/review/{ids['STRIKE']}/merge", data={"csrf": tok, "other": ids["HOSTILE"]})
    c.post(f"/review/{ids['MIXED']}/reject", data={"csrf": tok})
    pipeline.link(store)                           # linking rebuilds every event from the mentions
    assert reapply_decisions(store) == 2
    ev = c.get(f"/api/v1/events/{ids['STRIKE']}").json()
    assert sorted(m["doc"] for m in ev["mentions"]) == ["en_hostile.md", "uk_strike.md"]
    assert c.get(f"/api/v1/events/{ids['MIXED']}").json()["status"] == "rejected"   # admin still sees it
