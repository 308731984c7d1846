"""Imports and comparison through the REST API: roles, clearance, limits, results."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from letopis.serve import create_app
from letopis.serve.users import create_token
from test_import_acled import write_csv
from webfixtures import build_store


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("interop") / "api.db")
    store, ids = build_store(db)
    tokens = {"admin": create_token(store, 3, "tests"), "reader": create_token(store, 1, "tests"),
              "editor": create_token(store, 2, "tests")}
    store.close()
    return db, tokens


def client(world, who):
    db, tokens = world
    return TestClient(create_app(db), headers={"authorization": f"Bearer {tokens[who]}"},
                      raise_server_exceptions=False)


def test_serve_interop_import_acled_as_editor_then_events_visible(world, tmp_path):
    body = write_csv(tmp_path / "acled.csv").read_bytes()
    r = client(world, "editor").post("/api/v1/import?format=acled-csv", content=body)
    assert r.status_code == 200, r.text
    assert "imported" in r.json()["summary"] or r.json()["summary"]
    events = client(world, "admin").get("/api/v1/events?limit=100").json()["items"]
    assert any(m["doc"].startswith("acled.csv#") or "#" in m["doc"] for e in events for m in e["mentions"])
    again = client(world, "editor").post("/api/v1/import?format=acled-csv", content=body)
    assert again.status_code == 200                     # idempotent: nothing new the second time


def test_serve_interop_import_needs_editor_role(world, tmp_path):
    body = write_csv(tmp_path / "acled.csv").read_bytes()
    r = client(world, "reader").post("/api/v1/import?format=acled-csv", content=body)
    assert r.status_code == 403 and "error" in r.json()


def test_serve_interop_import_above_own_clearance_is_refused(world, tmp_path):
    body = write_csv(tmp_path / "acled.csv").read_bytes()
    r = client(world, "editor").post("/api/v1/import?format=acled-csv&access=confidential", content=body)
    assert r.status_code == 400 and r.json()["error"]["code"]


def test_serve_interop_empty_and_bad_uploads_get_a_clear_error(world):
    c = client(world, "admin")
    r = c.post("/api/v1/import?format=acled-csv", content=b"")
    assert r.status_code == 400 and "empty" in r.json()["error"]["message"]
    r = c.post("/api/v1/import?format=acled-csv", content=b"not,a,dataset\n1,2,3\n")
    assert r.status_code == 400 and "error" in r.json()
    r = c.post("/api/v1/import?format=excel", content=b"x")
    assert r.status_code == 422


def test_serve_interop_compare_respects_clearance(world, tmp_path):
    body = write_csv(tmp_path / "acled.csv").read_bytes()
    reader = client(world, "reader").post("/api/v1/compare?format=acled-csv", content=body)
    admin = client(world, "admin").post("/api/v1/compare?format=acled-csv", content=body)
    assert reader.status_code == 200 and admin.status_code == 200
    assert "Секретов" not in reader.text
    assert reader.json()["summary"] and isinstance(reader.json()["rows"], list)
