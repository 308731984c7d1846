"""A small store for the web tests, built without the extractors: documents, mentions, linked events, users.

    PUBLIC_RU     public, ru: the crackdown in Zhanaozen (killed 16, official)       ─┐ one event: MIXED
    RESTRICTED    restricted, ru: the same crackdown (killed 64, independent)        ─┘
    SECRET        confidential only: a detention in Taraz, actor "Иван Секретов"   → event SECRET_ONLY
    HOSTILE       public, en: text with <script> and HTML, a protest in Bishkek
    UK_STRIKE     public, uk: a strike in Kryvyi Rih
"""
from __future__ import annotations

import re

from letopis import pipeline
from letopis.model import Actor, DateValue, Demand, ExtractionResult, Figure, Mention, Place, Span
from letopis.store import open_store
from letopis.store import documents as docs_db
from letopis.store.events import save_extraction
from letopis.serve.users import add_user

PASSWORD = "correct horse battery"
SECRET_WORD = "Секретов"
SECRET_PLACE = "Тараз"
ZH = dict(name="Жанаозен", name_en="Zhanaozen", country="KZ", lat=43.34, lon=52.86, kind="city")

TEXTS = {
    "ru_public.md": ("Расстрел митинга в Жанаозене. 16 декабря 2011 года полиция открыла огонь по "
                     "бастующим нефтяникам. По официальным данным, погибли 16 человек. "
                     "Нефтяники требовали повышения зарплаты."),
    "ru_restricted.md": ("Жанаозен, 16 декабря 2011. Очевидцы говорят, что полиция стреляла по толпе. "
                         "По данным правозащитников, погибли не менее 64 человек."),
    "ru_secret.md": ("В Таразе 3 марта 2020 года задержан активист Иван Секретов. "
                     "Источник просил не называть его имени. Задержаны 5 человек."),
    "en_hostile.md": ("Bishkek, 5 October 2020. <script>alert('pwned')</script> <b>Protesters</b> "
                      "<img src=x onerror=alert(2)> rallied outside the White House & demanded a recount."),
    "uk_strike.md": ("У Кривому Розі 10 березня 2021 року почався страйк шахтарів. "
                     "Шахтарі вимагали погасити борги із зарплати."),
}
ACCESS = {"ru_public.md": "public", "ru_restricted.md": "restricted", "ru_secret.md": "confidential",
          "en_hostile.md": "public", "uk_strike.md": "public"}
LANG = {"ru_public.md": "ru", "ru_restricted.md": "ru", "ru_secret.md": "ru", "en_hostile.md": "en",
        "uk_strike.md": "uk"}


def span(text: str, words: str) -> Span:
    i = text.index(words)
    return Span(i, i + len(words), words)


def _mentions(name: str, text: str) -> tuple[Mention, ...]:
    if name == "ru_public.md":
        return (Mention("crackdown", "shooting", (span(text, "полиция открыла огонь"),), DateValue("2011-12-16"),
                        Place(**ZH), (Figure("killed", 16, 16, span(text, "погибли 16 человек"), "official",
                                             "По официальным данным"),),
                        (Actor("полиция", "perpetrator", "organization", span(text, "полиция")),
                         Actor("нефтяники", "target", "group")),
                        (Demand("повышения зарплаты", "labor_wage_dispute", span(text, "повышения зарплаты")),),
                        "test.v1"),)
    if name == "ru_restricted.md":
        return (Mention("crackdown", "shooting", (span(text, "полиция стреляла по толпе"),), DateValue("2011-12-16"),
                        Place(**ZH), (Figure("killed", 64, None, span(text, "погибли не менее 64 человек"),
                                             "independent", "По данным правозащитников"),),
                        (Actor("полиция", "perpetrator", "organization"),), (), "test.v1"),)
    if name == "ru_secret.md":
        return (Mention("detention", "individual", (span(text, "задержан активист Иван Секретов"),),
                        DateValue("2020-03-03"),
                        Place("Тараз", "Taraz", "KZ", 42.9, 71.37, "city"),
                        (Figure("detained", 5, 5, span(text, "Задержаны 5 человек")),),
                        (Actor("Иван Секретов", "target", "person", span(text, "Иван Секретов")),), (), "test.v1"),)
    if name == "en_hostile.md":
        return (Mention("protest", "rally", (span(text, "rallied outside the White House"),), DateValue("2020-10-05"),
                        Place("Bishkek", "Bishkek", "KG", 42.87, 74.59, "city"), (), (), (), "test.v1"),)
    return (Mention("strike", "labour", (span(text, "почався страйк шахтарів"),), DateValue("2021-03-10"),
                    Place("Кривий Ріг", "Kryvyi Rih", "UA", 47.91, 33.39, "city"), (), (),
                    (Demand("погасити борги із зарплати", "labor_wage_dispute"),), "test.v1"),)


def build_store(db: str):
    """Open a store at ``db`` and fill it; returns (store, ids) with ids of documents and events."""
    store = open_store(db)
    ids: dict = {}
    for name, text in TEXTS.items():
        with store.engine.begin() as conn:
            doc_id = docs_db.insert_document(conn, sha256=f"{hash(name) & 0xffffffff:064x}", name=name, format="md",
                                             raw=text.encode(), text=text, title=name.split(".")[0], date=None,
                                             language=LANG[name], meta={"source": "fixture"},
                                             access=ACCESS[name], status="stored")
            docs_db.put_source(conn, "/fixture/" + name, name, doc_id, "ok")
        save_extraction(store, ExtractionResult(doc_id, _mentions(name, text), "test.v1"))
        ids[name] = doc_id
    pipeline.link(store)
    with store.engine.connect() as conn:
        from sqlalchemy import text as sql
        rows = conn.execute(sql("SELECT m.document_id, m.event_id FROM mentions m")).all()
    by_doc = {d: e for d, e in rows}
    ids["MIXED"] = by_doc[ids["ru_public.md"]]
    assert by_doc[ids["ru_restricted.md"]] == ids["MIXED"], "fixture: the two Zhanaozen reports must link"
    ids["SECRET_ONLY"] = by_doc[ids["ru_secret.md"]]
    ids["HOSTILE"] = by_doc[ids["en_hostile.md"]]
    ids["STRIKE"] = by_doc[ids["uk_strike.md"]]
    add_user(store, "reader", PASSWORD, "reader")
    add_user(store, "editor", PASSWORD, "editor")            # clearance restricted
    add_user(store, "admin", PASSWORD, "admin")              # clearance confidential
    return store, ids


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(client) -> str:
    r = client.get("/login")
    return CSRF.search(r.text).group(1)


def login(client, username: str, password: str = PASSWORD):
    tok = csrf_of(client)
    r = client.post("/login", data={"csrf": tok, "username": username, "password": password, "next": "/search"},
                    follow_redirects=False)
    return r


def page_csrf(client, url: str = "/search") -> str:
    return CSRF.search(client.get(url).text).group(1)
