"""Pages: sign in and out, CSRF, rate limiting, security headers, evidence links, hostile text stays inert."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from letopis.serve import create_app
from webfixtures import PASSWORD, build_store, csrf_of, login, page_csrf


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("pages") / "pages.db")
    store, ids = build_store(db)
    store.close()
    return db, ids


@pytest.fixture
def admin(world):
    db, ids = world
    c = TestClient(create_app(db))
    assert login(c, "admin").status_code == 303
    return c, ids


def test_serve_pages_need_sign_in_unless_anonymous(world):
    db, _ = world
    c = TestClient(create_app(db))
    r = c.get("/search", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert c.get("/api/v1/events").status_code == 401
    assert c.get("/api/v1/events").json()["error"]["code"] == "unauthorized"
    anon = TestClient(create_app(db, anonymous=True))
    assert anon.get("/search").status_code == 200


def test_serve_pages_every_page_renders(admin):
    c, ids = admin
    urls = ["/search", "/search?q=забастовка&type=strike", "/events", "/events?country=KZ&min_killed=10",
            f"/events/{ids['MIXED']}", "/documents", "/documents?status=failed", f"/documents/{ids['ru_public.md']}",
            "/entities", "/entities?kind=place", "/entities/place/Zhanaozen", "/entities/organization/полиция",
            "/timeline", "/map", "/review", "/review?status=accepted", "/ingest", "/account", "/audit", "/login"]
    for url in urls:
        r = c.get(url, headers={"accept": "text/html"})
        assert r.status_code == 200, url
        assert "<html" in r.text


def test_serve_pages_security_headers(admin):
    c, _ = admin
    r = c.get("/search")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text.replace("<script src=", "")      # no inline scripts at all
    cookie = c.cookies.jar
    assert any(ck.name == "letopis_session" for ck in cookie)


def test_serve_pages_session_cookie_flags(world):
    db, _ = world
    c = TestClient(create_app(db))
    tok = csrf_of(c)
    r = c.post("/login", data={"csrf": tok, "username": "reader", "password": PASSWORD, "next": "/"},
               follow_redirects=False)
    sc = r.headers["set-cookie"].lower()
    assert "httponly" in sc and "samesite=lax" in sc


def test_serve_pages_hostile_text_is_inert(admin):
    c, ids = admin
    r = c.get(f"/documents/{ids['en_hostile.md']}")
    assert "<script>alert" not in r.text and "<img src=x" not in r.text and "<b>Protesters" not in r.text
    assert "&lt;script&gt;alert(" in r.text and "&lt;img src=x onerror=alert(2)&gt;" in r.text
    r = c.get("/search?q=protesters")
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text
    r = c.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in r.text


def test_serve_pages_document_marks_evidence_with_anchors(admin):
    c, ids = admin
    text = c.get(f"/api/v1/documents/{ids['ru_public.md']}").json()["text"]
    start = text.index("полиция открыла огонь")
    page = c.get(f"/documents/{ids['ru_public.md']}").text
    assert f'id="s-{start}-{start + len("полиция открыла огонь")}"' in page
    assert f'href="/events/{ids["MIXED"]}"' in page
    assert "hl-figure" in page and "hl-evidence" in page


def test_serve_pages_event_shows_every_report_with_links(admin):
    c, ids = admin
    page = c.get(f"/events/{ids['MIXED']}").text
    assert "погибли 16 человек" in page and "погибли не менее 64 человек" in page
    assert "official" in page and "independent" in page
    assert re.search(rf'/documents/{ids["ru_public.md"]}#s-\d+-\d+', page)
    assert 'id="event-map"' in page and "повышения зарплаты" in page


def test_serve_pages_csrf_required_on_every_post(admin):
    c, ids = admin
    for url, data in [("/logout", {}), (f"/review/{ids['MIXED']}/accept", {}), ("/account/tokens", {"name": "x"}),
                      ("/login", {"username": "admin", "password": PASSWORD})]:
        r = c.post(url, data={**data, "csrf": "forged"}, follow_redirects=False)
        assert r.status_code == 403, url
    # the JSON API with the session cookie needs the token in a header
    assert c.post(f"/api/v1/events/{ids['MIXED']}/accept").status_code == 403
    ok = c.post(f"/api/v1/events/{ids['MIXED']}/accept", headers={"x-csrf-token": page_csrf(c)})
    assert ok.status_code == 200


def test_serve_pages_login_logout_and_rate_limit(world):
    db, _ = world
    c = TestClient(create_app(db))
    for _ in range(5):
        tok = csrf_of(c)
        r = c.post("/login", data={"csrf": tok, "username": "reader", "password": "wrong password"})
        assert r.status_code == 401
    tok = csrf_of(c)
    r = c.post("/login", data={"csrf": tok, "username": "reader", "password": PASSWORD})
    assert r.status_code == 429                       # even the right password waits now
    other = TestClient(create_app(db))
    assert login(other, "editor").status_code == 303
    assert other.get("/account").status_code == 200
    r = other.post("/logout", data={"csrf": page_csrf(other)}, follow_redirects=False)
    assert r.status_code == 303
    assert other.get("/account", headers={"accept": "text/html"}, follow_redirects=False).status_code == 303


def test_serve_pages_next_cannot_redirect_off_site(world):
    db, _ = world
    c = TestClient(create_app(db))
    tok = csrf_of(c)
    r = c.post("/login", data={"csrf": tok, "username": "editor", "password": PASSWORD,
                               "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/search"


def test_serve_pages_reader_cannot_review_or_ingest(world):
    db, ids = world
    c = TestClient(create_app(db))
    login(c, "reader")
    assert c.get("/review", headers={"accept": "text/html"}).status_code == 403
    r = c.post(f"/review/{ids['MIXED']}/accept", data={"csrf": page_csrf(c)})
    assert r.status_code == 403
    assert 'href="/review"' not in c.get("/search").text


def test_serve_pages_admin_adds_user_and_token(admin):
    c, _ = admin
    r = c.post("/account/users", data={"csrf": page_csrf(c, "/account"), "username": "newbie",
                                       "password": "long enough pw", "role": "reader", "clearance": ""})
    assert r.status_code == 200 and "newbie" in r.text
    r = c.post("/account/tokens", data={"csrf": page_csrf(c, "/account"), "name": "laptop"})
    tok = re.search(r'id="new-token">([^<]+)<', r.text).group(1)
    api = TestClient(c.app)
    me = api.get("/api/v1/me", headers={"authorization": f"Bearer {tok}"}).json()
    assert me == {"username": "admin", "role": "admin", "clearance": "confidential"}
    assert api.get("/api/v1/me", headers={"authorization": "Bearer nope"}).status_code == 401
    assert tok not in c.get("/account").text           # shown once
