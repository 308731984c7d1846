"""Real-browser tests: Playwright driving Debian's chromium against uvicorn on a free local port.

Skipped when /usr/bin/chromium or the playwright package is absent.
"""
from __future__ import annotations

import os
import socket
import threading
import time

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("chromium is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

from webfixtures import PASSWORD, build_store  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn
    from letopis.serve import create_app
    db = str(tmp_path_factory.mktemp("browser") / "browser.db")
    store, ids = build_store(db)
    store.close()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    srv.should_exit = True
    t.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    yield pg, server[0], server[1], errors
    ctx.close()


def sign_in(pg, base, user="editor"):
    pg.goto(base + "/login")
    pg.fill("#username", user)
    pg.fill("#password", PASSWORD)
    pg.click("#signin")
    pg.wait_for_url("**/search")


def test_browser_web_login_and_logout(page):
    pg, base, _, errors = page
    pg.goto(base + "/search")
    assert "/login" in pg.url
    pg.fill("#username", "reader"); pg.fill("#password", "wrong"); pg.click("#signin")
    assert "Wrong user name" in pg.inner_text("#login-error")
    sign_in(pg, base, "reader")
    assert "reader" in pg.inner_text("header")
    pg.click("#logout")
    pg.wait_for_url("**/login")
    pg.goto(base + "/events")
    assert "/login" in pg.url
    assert errors == []


def test_browser_web_search_event_evidence_document(page):
    pg, base, ids, errors = page
    sign_in(pg, base)
    pg.fill("#q", "расстрелом")
    pg.click("#search-go")
    pg.wait_for_selector(".doc-hit")
    assert pg.inner_text(".doc-hit mark") == "Расстрел"
    pg.click(".event-card a.event-link")
    pg.wait_for_selector("#figures")
    assert "погибли 16 человек" in pg.inner_text("#figures")
    pg.click("#figures a.evidence-link >> nth=0")
    pg.wait_for_selector("#doctext")
    assert "#s-" in pg.url
    target = pg.url.split("#", 1)[1]
    assert pg.locator(f"[id='{target}']").count() == 1
    assert errors == []


def test_browser_web_review_and_correct(page):
    pg, base, ids, errors = page
    sign_in(pg, base)
    pg.goto(base + f"/events/{ids['STRIKE']}")
    form = pg.locator("form.correct")
    form.locator("select[name=field]").select_option("date_start")
    form.locator("input[name=value]").fill("2021-03-12")
    form.locator("button").click()
    pg.wait_for_load_state()
    assert "2021-03-12" in pg.inner_text(".lead")
    pg.click(f"[id='accept-{ids['STRIKE']}']")
    pg.wait_for_load_state()
    assert pg.inner_text("#event-status") == "accepted"
    pg.goto(base + "/review")
    assert ids["STRIKE"] not in pg.content()
    assert errors == []


def test_browser_web_hostile_document_is_inert(page):
    pg, base, ids, errors = page
    sign_in(pg, base)
    pg.goto(base + f"/documents/{ids['en_hostile.md']}")
    text = pg.inner_text("#doctext")
    assert "<script>alert('pwned')</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert pg.locator("#doctext script, #doctext img, #doctext b").count() == 0
    assert errors == []                                   # no alert dialog, no script error


def test_browser_web_map_and_timeline_draw(page):
    pg, base, _, errors = page
    sign_in(pg, base, "admin")
    pg.goto(base + "/map")
    pg.wait_for_selector(".cluster")
    assert "events in view" in pg.inner_text("#map-status")
    pg.goto(base + "/timeline")
    pg.wait_for_selector("#timeline rect.bar")
    assert pg.locator("#timeline rect.bar").count() >= 3
    assert errors == []
