"""Incremental linking: new, changed and decided mentions re-cluster with their neighbours only.

Clusters of one connected component of compared pairs (``cluster.CandidateIndex`` and
``pair_score``) depend on that component alone. So a run starts from the *seeds* (mentions
without an event, the remaining mentions of events that lost one, the mentions of decisions
made since the last run), walks the pairs that score (and the ties decisions make) to the
whole components, loading from the store only the blocks those mentions can meet, clusters
exactly those mentions with ``cluster()`` and replaces only their events. The result is the
one a full re-link gives (``full=True`` starts from every mention).
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections import deque

from sqlalchemy import and_, bindparam, cast, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB

from ..model import Mention
from ..store.events import ACCESS_RANK, now
from ..store.schema import documents, events, mentions
from ..store.schema_link import event_decisions, link_events, link_members, link_state
from .cluster import MIN_SCORE, WEAK_SCORE, CandidateIndex, Item, cluster
from .pairs import score
from .decisions import Decisions, apply_corrections, corrections_of, load_decisions, status_of
from .entities import drop_orphans, mention_entities, write_entities
from .reconcile import SourcedMention, canonical_view

LIVE = documents.c.status == "extracted"


def _chunks(xs: list, n: int = 500):
    for i in range(0, len(xs), n):
        yield xs[i:i + n]


def assign_keys(conn, full: bool) -> None:
    """Give every live mention without one its natural key (numbered when one document repeats it)."""
    if full:
        conn.execute(delete(link_members))
        docs = list(conn.execute(select(mentions.c.document_id).distinct()).scalars())
    else:
        conn.execute(delete(link_members).where(link_members.c.mention_id.not_in(select(mentions.c.id))))
        docs = list(conn.execute(
            select(mentions.c.document_id).distinct()
            .where(mentions.c.id.not_in(select(link_members.c.mention_id)))).scalars())
    rows = []
    for chunk in _chunks(docs):
        q = (select(mentions.c.id, mentions.c.document_id, mentions.c.type, mentions.c.data, documents.c.name)
             .join(documents, documents.c.id == mentions.c.document_id)
             .where(mentions.c.document_id.in_(chunk)).order_by(mentions.c.document_id, mentions.c.idx))
        have = set(conn.execute(select(link_members.c.mention_id)
                                .join(mentions, mentions.c.id == link_members.c.mention_id)
                                .where(mentions.c.document_id.in_(chunk))).scalars())
        seen: set[str] = set()
        last_doc = None
        for r in conn.execute(q):
            if r.document_id != last_doc:
                seen, last_doc = set(), r.document_id
            ev = json.loads(r.data).get("evidence") or [{}]     # natural_key without building a Mention
            key = base = f"{r.name}\x1f{r.type}\x1f{int(ev[0].get('start') or 0):09d}"
            n = 1
            while key in seen:           # two events told in one sentence: number them in order
                n += 1
                key = f"{base}\x1f{n}"
            seen.add(key)
            if r.id not in have:
                rows.append({"mention_id": r.id, "key": key})
    if rows:
        conn.execute(link_members.insert(), rows)


class Universe:
    """The mentions loaded from the store so far, indexed for blocking."""

    COLS = (mentions.c.id, mentions.c.document_id, mentions.c.data, mentions.c.event_id,
            documents.c.name, documents.c.access, link_members.c.key)

    def __init__(self, conn):
        self.conn = conn
        self.index = CandidateIndex()
        self.items: list[Item] = []
        self.rows: list[tuple] = []          # (mention id, document id, access, old event id)
        self.pos: dict[int, int] = {}        # mention id → position
        self.loaded: set[tuple] = set()
        self.live: set[int] | None = None    # ids of live documents
        self.countries: list[str] | None = None

    def _query(self):
        # liveness is checked in Python (``_read``): with it in SQL, SQLite walks every live
        # document to find a few hundred mentions by id (7x slower at 100,000 documents)
        return (select(*self.COLS).join(documents, documents.c.id == mentions.c.document_id)
                .join(link_members, link_members.c.mention_id == mentions.c.id))

    def _live(self) -> set[int]:
        if self.live is None:
            self.live = set(self.conn.execute(select(documents.c.id).where(LIVE)).scalars())
        return self.live

    def load(self, where) -> list[int]:
        """Positions of the live mentions ``where`` selects; only those not loaded yet are read."""
        self._live()
        # mentions alone, so SQLite answers from the block index; liveness is checked here
        ids = [r.id for r in self.conn.execute(select(mentions.c.id, mentions.c.document_id).where(where))
               if r.document_id in self.live]
        new = sorted({i for i in ids if i not in self.pos})
        for chunk in _chunks(new):
            self._read(self._query().where(mentions.c.id.in_(chunk)))
        return [self.pos[i] for i in ids]

    def load_all(self) -> list[int]:
        """Every live mention, in one query (a full link)."""
        self._read(self._query())
        return list(range(len(self.items)))

    def _read(self, query) -> None:
        live = self._live()
        for r in self.conn.execute(query):
            if r.id in self.pos or r.document_id not in live:
                continue
            m = Mention.from_dict(json.loads(r.data))
            self.pos[r.id] = self.index.add(m) if self.index is not None else len(self.items)
            self.items.append(Item(key=r.key, doc=r.name, mention=m))
            self.rows.append((r.id, r.document_id, r.access, r.event_id))

    def ensure_block(self, i: int) -> None:
        """Load every mention that ``i`` may be compared with."""
        self.ensure_blocks([i])

    def ensure_blocks(self, idx) -> None:
        """Load every mention that any of ``idx`` may be compared with, in a few queries.

        Only what ``CandidateIndex.neighbours`` can return is read: for a day or a month, that
        month of its country and type, the year-level mentions of that year, the undated ones
        at its place and the country-less ones of the same date; for a year, that year; for an
        undated mention, its place. One condition per (type, country) keeps the SQL small;
        SQLite narrows to the (country, type) block by index and filters the rest in C.
        """
        loaded = self.loaded
        want: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))

        def need(key, block, part, value) -> None:
            if key not in loaded:
                loaded.add(key)
                want[block][part].add(value)

        for i in idx:
            t, c, level, start, y, mo, pk, coarse = self.index.keys[i]
            if c is None:
                if start:
                    need(("ex", t, start), ("*", t), "starts", start)
                continue
            if ("c", t, c) in loaded:
                continue
            block = (c, t)
            if level == "U":
                if pk is not None:
                    need(("pk", t, c, pk), block, "places", pk)
                continue
            year = start[:4]
            need(("ncs", t, start), (None, t), "starts", start)
            if pk is not None and ("pk", t, c, pk) not in loaded:
                need(("upk", t, c, pk), block, "undated", pk)
            if ("cy", t, c, year) in loaded:
                continue
            if level == "Y":
                need(("cy", t, c, year), block, "years", year)
            else:
                need(("cm", t, c, start[:7]), block, "months", start[:7])
                need(("cyl", t, c, year), block, "ylevel", year)
        conds = [self._condition(block, parts) for block, parts in want.items()]
        for chunk in _chunks(conds, 100):
            self.load(or_(*chunk))

    def _condition(self, block: tuple, parts: dict[str, set]):
        mt = mentions.c
        c, t = block
        if c == "*":                     # a country-less mention meets every country's same date
            if self.countries is None:   # so the (country, type, date_start) index serves it
                self.countries = sorted(self.conn.execute(
                    select(mt.country).distinct().where(mt.country.is_not(None))).scalars())
            return and_(or_(mt.country.in_(self.countries or [""]), mt.country.is_(None)),
                        mt.type == t, mt.date_start.in_(sorted(parts["starts"])))
        if c is None:
            return and_(mt.country.is_(None), mt.type == t, mt.date_start.in_(sorted(parts["starts"])))
        ors = []
        if parts.get("years"):
            ors.append(func.substr(mt.date_start, 1, 4).in_(sorted(parts["years"])))
        if parts.get("months"):
            ors.append(func.substr(mt.date_start, 1, 7).in_(sorted(parts["months"])))
        if parts.get("ylevel"):
            ors.append(and_(func.substr(mt.date_start, 1, 4).in_(sorted(parts["ylevel"])),
                            or_(func.length(mt.date_start) == 4, mt.date_end.is_not(None))))
        if parts.get("undated"):
            ors.append(and_(mt.date_start.is_(None), self._at(parts["undated"])))
        if parts.get("places"):
            ors.append(self._at(parts["places"]))
        return and_(mt.country == c, mt.type == t, or_(*ors))

    def _at(self, pks: set):
        """SQL: the mention is at one of the places ``pks`` (gazetteer ids), where the database
        can read the JSON; otherwise any place (the blocking index sorts it out)."""
        if not all(isinstance(pk, int) for pk in pks):
            return mentions.c.id.is_not(None)
        dialect = self.conn.dialect.name
        if dialect == "sqlite":
            return func.json_extract(mentions.c.data, "$.place.geonameid").in_(sorted(pks))
        if dialect == "postgresql":
            gid = func.jsonb_extract_path_text(cast(mentions.c.data, JSONB), "place", "geonameid")
            return gid.in_(sorted(str(pk) for pk in pks))
        return mentions.c.id.is_not(None)


def _prefix(col, p: str):
    """``col`` starts with ``p``, as a range the (country, type, date_start) index serves."""
    return and_(col >= p, col < p[:-1] + chr(ord(p[-1]) + 1))


class Walk:
    """Pairs and partner counts over the store, computed lazily from the loaded blocks."""

    def __init__(self, uni: "Universe"):
        self.uni = uni
        self.edges: dict[int, dict[int, int]] = {}

    def scored(self, i: int) -> dict[int, int]:
        """j → score for every mention ``i`` pairs with (score at least WEAK_SCORE)."""
        got = self.edges.get(i)
        if got is None:
            uni = self.uni
            uni.ensure_block(i)
            doc, feats = uni.items[i].doc, uni.index.features
            fa, got = feats[i], {}
            for j in uni.index.neighbours(i):
                if uni.items[j].doc != doc:
                    s = score(fa, feats[j])
                    if s is not None and s >= WEAK_SCORE:
                        got[j] = s
            self.edges[i] = got
        return got

    def prepare(self, idx) -> None:
        """Load the blocks of every mention in ``idx`` not scored yet, in a few queries."""
        self.uni.ensure_blocks([i for i in idx if i not in self.edges])

    def kept(self, i: int, j: int, s: int) -> bool:
        return s >= MIN_SCORE or (len(self.scored(i)) == 1 and len(self.scored(j)) == 1)


def _components(uni: Universe, seeds: list[int], decs: Decisions, walk: Walk) -> list[int]:
    """Every mention whose clustering the seeds can change: the seeds and their partners (whose
    partner counts change), then everything connected to them by pairs that merge, by decisions,
    or by a shared event before this run."""
    seen = set(seeds)
    walk.prepare(seeds)
    for i in seeds:
        seen.update(walk.scored(i))
    frontier = sorted(seen)
    events_done: set[str] = set()
    while frontier:                  # level by level, so each level loads its blocks in a few queries
        walk.prepare(frontier)
        walk.prepare({j for i in frontier for j, s in walk.scored(i).items() if s < MIN_SCORE and j not in seen})
        nxt: list[int] = []
        olds: list[str] = []
        for i in frontier:
            nxt += [j for j, s in walk.scored(i).items() if j not in seen and walk.kept(i, j, s)]
            tied = decs.related_keys(uni.items[i].key)
            if tied:
                ids = list(uni.conn.execute(select(link_members.c.mention_id).where(
                    or_(link_members.c.key.in_(tied), *[link_members.c.key.like(k + "\x1f%") for k in tied]))).scalars())
                for chunk in _chunks(ids):
                    nxt += uni.load(mentions.c.id.in_(chunk))
            old = uni.rows[i][3]
            if old and old not in events_done:
                events_done.add(old)
                olds.append(old)
        for chunk in _chunks(olds):
            nxt += uni.load(mentions.c.event_id.in_(chunk))
        frontier = []
        for j in nxt:
            if j not in seen:
                seen.add(j)
                frontier.append(j)
    return sorted(seen)


def event_row(eid: str, sms: list[SourcedMention], decs: list, stamp: str) -> tuple[dict, dict]:
    view = canonical_view(eid, sms)
    apply_corrections(view, corrections_of(decs))
    place = view["place"] or {}
    access = min((sm.access for sm in sms), key=lambda a: ACCESS_RANK.get(a, 0))
    row = {
        "id": eid, "type": view["type"], "subtype": view["subtype"],
        "date_start": view["date"]["start"], "date_end": view["date"]["end"],
        "country": place.get("country"), "place": json.dumps(view["place"], ensure_ascii=False),
        "lat": place.get("lat"), "lon": place.get("lon"),
        "actors": json.dumps(view["actors"], ensure_ascii=False),
        "figures": json.dumps(view["figures"], ensure_ascii=False),
        "demands": json.dumps(view["demands"], ensure_ascii=False),
        "types": json.dumps(view["types"], ensure_ascii=False),
        "access": access, "status": status_of(decs), "updated_at": stamp,
    }
    return row, view


def _seeds(conn, full: bool, last_decision: int, decs: Decisions) -> tuple[list[int], set[str]]:
    """(mention ids to start from, ids of events that lost or changed members)."""
    if full:
        return list(conn.execute(select(mentions.c.id).join(documents, documents.c.id == mentions.c.document_id)
                                 .where(LIVE)).scalars()), set(conn.execute(select(events.c.id)).scalars())
    live = (select(mentions.c.event_id, func.count().label("n"))
            .join(documents, documents.c.id == mentions.c.document_id)
            .where(LIVE).where(mentions.c.event_id.is_not(None)).group_by(mentions.c.event_id))
    # sizes compared in SQL: only the events that changed come back to Python
    now = live.subquery()
    le = link_events.c
    dirty = set(conn.execute(select(le.event_id).select_from(
        link_events.outerjoin(now, now.c.event_id == le.event_id))
        .where(or_(now.c.n.is_(None), now.c.n != le.size))).scalars())
    dirty |= set(conn.execute(select(now.c.event_id).select_from(
        now.outerjoin(link_events, now.c.event_id == le.event_id)).where(le.event_id.is_(None))).scalars())
    dirty |= set(conn.execute(select(events.c.id).where(events.c.id.not_in(select(link_events.c.event_id)))).scalars())
    seeds = set(conn.execute(select(mentions.c.id).join(documents, documents.c.id == mentions.c.document_id)
                             .where(LIVE).where(or_(mentions.c.event_id.is_(None),
                                                    mentions.c.event_id.in_(list(dirty) or [""])))).scalars())
    new_keys = {k for d in decs.all if d.id > last_decision for k in d.keys}
    events_of_new = {d.target.get("event") for d in decs.all if d.id > last_decision} - {None}
    if new_keys or events_of_new:
        seeds |= set(conn.execute(select(link_members.c.mention_id).where(link_members.c.key.in_(list(new_keys)))).scalars())
        seeds |= set(conn.execute(select(mentions.c.id).where(mentions.c.event_id.in_(list(events_of_new)))).scalars())
        dirty |= events_of_new
    return sorted(seeds), dirty


def link_incremental(store, *, full: bool = False) -> tuple[int, int]:
    """Link what changed (everything with ``full``); returns (mentions re-clustered, events written)."""
    with store.engine.begin() as conn:
        state = dict(conn.execute(select(link_state.c.key, link_state.c.value)).all())
        if not state.get("linked"):
            full = True
        conn.execute(update(mentions).where(mentions.c.event_id.is_not(None)).where(
            mentions.c.document_id.in_(select(documents.c.id).where(~LIVE))).values(event_id=None))
        assign_keys(conn, full)
        decs = Decisions(load_decisions(conn))
        last = int(state.get("last_decision") or 0)
        seed_ids, dirty = _seeds(conn, full, last, decs)
        uni = Universe(conn)
        if full:
            uni.index = None             # cluster() indexes every mention itself; no walk to serve
        if full:
            seeds = uni.load_all()
        else:
            seeds = []
            for chunk in _chunks(seed_ids):
                seeds += uni.load(mentions.c.id.in_(chunk))
        walk = Walk(uni)
        comp = list(range(len(uni.items))) if full else _components(uni, seeds, decs, walk)
        old = dirty | {uni.rows[i][3] for i in comp if uni.rows[i][3]}
        if not full:
            walk.prepare(comp)
        partners = None if full else {uni.items[i].key: len(walk.scored(i)) for i in comp}
        groups = cluster([uni.items[i] for i in comp], decs, partners)
        by_key = {uni.items[i].key: i for i in comp}
        stamp = now()
        if full:
            conn.execute(update(mentions).values(event_id=None))
            for t in (events, link_events, event_decisions):
                conn.execute(delete(t))
        else:
            old_ids = sorted(old)
            for chunk in _chunks(old_ids):
                conn.execute(update(mentions).where(mentions.c.event_id.in_(chunk)).values(event_id=None))
                for t, col in ((events, events.c.id), (link_events, link_events.c.event_id),
                               (event_decisions, event_decisions.c.event_id)):
                    conn.execute(delete(t).where(col.in_(chunk)))
        rows, sizes, ed, refs, assign = [], [], [], {}, {}
        for eid, group in groups.items():
            idx = [by_key[it.key] for it in group]
            sms = [SourcedMention(doc=it.doc, doc_id=uni.rows[i][1], access=uni.rows[i][2], mention=it.mention)
                   for it, i in zip(group, idx)]
            mine = decs.for_event(eid)
            row, view = event_row(eid, sms, mine, stamp)
            rows.append(row)
            sizes.append({"event_id": eid, "size": len(group)})
            ed += [{"event_id": eid, "decision_id": d.id} for d in mine]
            refs[eid] = [r for it in group for r in mention_entities(it.mention)]
            for i in idx:
                assign[uni.rows[i][0]] = eid
        for chunk in _chunks(rows):
            conn.execute(events.insert(), chunk)
        for chunk in _chunks(sizes):
            conn.execute(link_events.insert(), chunk)
        if ed:
            conn.execute(event_decisions.insert(), ed)
        # one statement, many parameter sets (an UPDATE per event cost ~0.5 ms each at 50,000 events)
        set_event = update(mentions).where(mentions.c.id == bindparam("mid")).values(event_id=bindparam("eid"))
        for chunk in _chunks(sorted(assign.items()), 5000):
            conn.execute(set_event, [{"mid": mid, "eid": eid} for mid, eid in chunk])
        if full:
            from ..store.schema_link import entity_events
            conn.execute(delete(entity_events))
        else:
            from ..store.schema_link import entity_events
            for chunk in _chunks(sorted(old)):
                conn.execute(delete(entity_events).where(entity_events.c.event_id.in_(chunk)))
        write_entities(conn, refs)
        drop_orphans(conn)
        conn.execute(delete(link_state))
        conn.execute(link_state.insert(), [
            {"key": "linked", "value": "1"},
            {"key": "last_decision", "value": str(max((d.id for d in decs.all), default=0))}])
        return len(comp), len(groups)
