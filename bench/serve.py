"""Web latency on a store of 100,000 synthetic documents: search and page times (median, p95).

    python bench/serve.py [--docs 100000] [--db /tmp/letopis-bench-serve.db] [--requests 200]

Builds the store fast with direct SQL inserts (texts: protest words, each in about 8% of the
documents, among Zipf-distributed filler words; every text also carries a lead and a figure, so
queries like "задержаны человек" match every document) (documents, one mention each, events of
one to three mentions, a mix of access levels), builds the FTS index, then times
requests in-process (FastAPI TestClient: routing, queries, templates; no network).
A store built before at --db is reused (--rebuild builds it anew). Prints the peak memory at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

WORDS = ("митинг протест забастовка расстрел задержание полиция рабочие нефтяники требования зарплата "
         "площадь суд акция пикет разгон активист журналист власти город завод шахтёры учителя врачи "
         "студенты марш колонна лозунги плакаты дубинки автозак протокол штраф арест приговор").split()
FORMS = ("митинга митингом забастовки забастовкой расстрела расстрелом задержания полиции рабочих "
         "нефтяников требованиями зарплаты площади суда акции пикета разгона активиста журналиста "
         "властей города завода шахтёров учителей врачей студентов марша").split()
CITIES = [("Жанаозен", "Zhanaozen", "KZ", 43.34, 52.86), ("Алматы", "Almaty", "KZ", 43.25, 76.9),
          ("Минск", "Minsk", "BY", 53.9, 27.56), ("Гомель", "Gomel", "BY", 52.43, 30.98),
          ("Київ", "Kyiv", "UA", 50.45, 30.52), ("Харків", "Kharkiv", "UA", 49.99, 36.23),
          ("Бишкек", "Bishkek", "KG", 42.87, 74.59), ("Тбилиси", "Tbilisi", "GE", 41.72, 44.79),
          ("Ереван", "Yerevan", "AM", 40.18, 44.51), ("Москва", "Moscow", "RU", 55.75, 37.62)]
SYLLABLES = "ка ло ми ре ту на во ско пра ди ве ны го ста ри ле ма хо зу бе".split()
FILLER = sorted({"".join(random.Random(k).choice(SYLLABLES) for _ in range(2 + k % 3)) + "ов"[: k % 2 + 1]
                 for k in range(30_000)}, key=lambda w: (len(w), w))       # Zipf-ranked filler words
TYPES = ("protest", "strike", "crackdown", "detention", "prosecution")


def build(db: str, n: int, seed: int = 7) -> None:
    from sqlalchemy import text as sql
    from letopis.link.cluster import event_id
    from letopis.serve.search import sync_index
    from letopis.serve.users import add_user
    from letopis.store import open_store
    rnd = random.Random(seed)
    store = open_store(db)
    t0 = time.perf_counter()
    stamp = "2024-01-01T00:00:00+00:00"
    docs, mentions, events = [], [], {}
    i = 0
    while i < n:
        group = min(rnd.choice((1, 1, 2, 3)), n - i)
        city = rnd.choice(CITIES)
        lat, lon = city[3] + rnd.uniform(-2, 2), city[4] + rnd.uniform(-2, 2)
        etype = rnd.choice(TYPES)
        day = f"{rnd.randint(2000, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        keys, members = [], []
        for _ in range(group):
            i += 1
            words = [rnd.choice(WORDS + FORMS) if rnd.random() < .08 else FILLER[min(int(rnd.paretovariate(1.1)) - 1, len(FILLER) - 1)]
                     for _ in range(rnd.randint(40, 90))]
            lead = f"В городе {city[0]} {day} прошла акция. "
            text = lead + " ".join(words) + f". По данным полиции задержаны {rnd.randint(1, 300)} человек."
            access = rnd.choices(("public", "restricted", "confidential"), (80, 15, 5))[0]
            name = f"synthetic/{i:06d}.md"
            ev_text = text[:len(lead) - 1]
            fig_text = text[text.rindex("задержаны"):-1]
            fs = text.rindex("задержаны")
            num = int(fig_text.split()[1])
            m = {"type": etype, "subtype": None, "date": {"start": day, "end": None},
                 "place": {"name": city[0], "name_en": city[1], "country": city[2], "lat": lat, "lon": lon,
                           "kind": "city", "geonameid": None},
                 "figures": [{"kind": "detained", "low": num, "high": num, "attribution": "official",
                              "source": "По данным полиции",
                              "evidence": {"start": fs, "end": fs + len(fig_text), "text": fig_text}}],
                 "actors": [{"name": "полиция", "role": "perpetrator", "kind": "organization"}], "demands": [],
                 "evidence": [{"start": 0, "end": len(ev_text), "text": ev_text}], "extractor": "bench",
                 "confidence": 1.0}
            docs.append({"id": i, "sha256": f"{i:064x}", "name": name, "format": "md", "text": text,
                         "title": f"Отчёт {i}", "date": day, "language": "ru", "access": access,
                         "status": "extracted", "extractor": "bench", "created_at": stamp, "updated_at": stamp})
            keys.append(f"{name}\x1f{etype}\x1f{0:09d}")
            members.append((i, m, access))
        eid = event_id(keys)
        rank = {"public": 0, "restricted": 1, "confidential": 2}
        events[eid] = {"id": eid, "type": etype, "date_start": day, "country": city[2],
                       "place": json.dumps({"name": city[0], "name_en": city[1], "country": city[2], "lat": lat,
                                            "lon": lon}, ensure_ascii=False), "lat": lat, "lon": lon,
                       "access": min((a for _, _, a in members), key=rank.get), "updated_at": stamp}
        for doc_id, m, _ in members:
            mentions.append({"id": doc_id, "document_id": doc_id, "idx": 0, "type": etype, "date_start": day,
                             "country": city[2], "data": json.dumps(m, ensure_ascii=False), "event_id": eid,
                             "extractor": "bench"})
    with store.engine.begin() as conn:
        conn.execute(sql("INSERT INTO documents(id, sha256, name, format, text, title, date, language, access,"
                         " status, extractor, created_at, updated_at) VALUES (:id, :sha256, :name, :format, :text,"
                         " :title, :date, :language, :access, :status, :extractor, :created_at, :updated_at)"), docs)
        conn.execute(sql("INSERT INTO events(id, type, date_start, country, place, lat, lon, actors, figures, demands,"
                         " types, access, status, updated_at) VALUES (:id, :type, :date_start, :country, :place,"
                         " :lat, :lon, '[]', '{}', '[]', '{}', :access, 'machine', :updated_at)"), list(events.values()))
        conn.execute(sql("INSERT INTO mentions(id, document_id, idx, type, date_start, country, data, event_id,"
                         " extractor) VALUES (:id, :document_id, :idx, :type, :date_start, :country, :data,"
                         " :event_id, :extractor)"), mentions)
    t1 = time.perf_counter()
    sync_index(store, force=True)
    t2 = time.perf_counter()
    add_user(store, "reader", "bench password", "reader")
    add_user(store, "admin", "bench password", "admin")
    with store.engine.begin() as conn:
        conn.execute(sql("ANALYZE"))
    store.close()
    print(f"built {n} documents, {len(events)} events: inserts {t1 - t0:.1f}s, FTS index {t2 - t1:.1f}s",
          file=sys.stderr)


def timed(client, urls: list[str]) -> list[float]:
    out = []
    for u in urls:
        t = time.perf_counter()
        r = client.get(u, headers={"accept": "text/html"})
        out.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (u, r.status_code, r.text[:300])
    return out


def report(label: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"{label:<34} n={len(ms):<4} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
          f"load {os.getloadavg()[0]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/letopis-bench-serve.db")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args()
    if a.rebuild or not os.path.exists(a.db):
        for ext in ("", "-wal", "-shm"):
            if os.path.exists(a.db + ext):
                os.remove(a.db + ext)
        build(a.db, a.docs)
    from fastapi.testclient import TestClient
    from sqlalchemy import text as sql
    from letopis.serve import create_app
    app = create_app(a.db)
    with app.state.store.engine.connect() as conn:
        event_ids = list(conn.execute(sql("SELECT id FROM events WHERE access = 'public'")).scalars())
        doc_ids = list(conn.execute(sql("SELECT id FROM documents WHERE access = 'public'")).scalars())
    rnd = random.Random(1)
    queries = WORDS + FORMS + ["Жанаозен", "расстрелом полиции", "задержаны человек", "нетакогослова"]
    for who in ("reader", "admin"):
        c = TestClient(app)
        tok = __import__("re").search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
        c.post("/login", data={"csrf": tok, "username": who, "password": "bench password", "next": "/search"})
        timed(c, ["/search?q=митинг", f"/events/{event_ids[0]}"])          # warm up
        n = a.requests
        report(f"{who}: /search?q=… (page)", timed(c, [f"/search?q={rnd.choice(queries)}" for _ in range(n)]))
        report(f"{who}: /api/v1/search?q=…", timed(c, [f"/api/v1/search?q={rnd.choice(queries)}" for _ in range(n)]))
        report(f"{who}: /search filtered", timed(c, [f"/search?q={rnd.choice(queries)}&type={rnd.choice(TYPES)}"
                                                     f"&country=KZ&date_from=2010" for _ in range(n // 2)]))
        report(f"{who}: /events/{{id}}", timed(c, [f"/events/{rnd.choice(event_ids)}" for _ in range(n)]))
        report(f"{who}: /documents/{{id}}", timed(c, [f"/documents/{rnd.choice(doc_ids)}" for _ in range(n)]))
        report(f"{who}: /events (list)", timed(c, [f"/events?offset={rnd.randint(0, 5000)}" for _ in range(n // 4)]))
        report(f"{who}: /api/v1/map (zoom 4)", timed(c, ["/api/v1/map?zoom=4"] * 10))
        report(f"{who}: /api/v1/timeline", timed(c, ["/api/v1/timeline"] * 10))
    import resource
    print(f"peak memory (max RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
