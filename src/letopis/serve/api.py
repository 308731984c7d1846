"""The REST API under /api/v1: events, documents, entities, search, export, timeline, map, review.

Errors come in one shape: {"error": {"code": "...", "message": "..."}}. Lists are
paginated with limit/offset and say their total and the next page.
"""
from __future__ import annotations

import queue
import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ..errors import NotFoundError
from ..export import FORMATS, get_writer
from ..model import EVENT_TYPES
from . import data, review
from .auth import api_viewer, check_api_csrf, require_role
from .filters import Filters
from .points import buckets, clusters, visible_points
from .search import passage, sync_index
from .users import User

router = APIRouter(prefix="/api/v1", tags=["api"])
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
EventType = Literal["protest", "strike", "riot", "crackdown", "detention", "prosecution", "restriction",
                    "attack", "concession"]
assert set(EVENT_TYPES) == set(EventType.__args__)


def filters(q: Annotated[str | None, Query(max_length=300)] = None,
            type: EventType | None = None,
            date_from: Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = None,
            date_to: Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = None,
            country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
            place: Annotated[str | None, Query(max_length=200)] = None,
            actor: Annotated[str | None, Query(max_length=200)] = None,
            language: Annotated[str | None, Query(max_length=8)] = None,
            source: Annotated[str | None, Query(max_length=200)] = None,
            min_killed: Annotated[int | None, Query(ge=0, le=10**9)] = None,
            min_injured: Annotated[int | None, Query(ge=0, le=10**9)] = None,
            min_detained: Annotated[int | None, Query(ge=0, le=10**9)] = None,
            min_participants: Annotated[int | None, Query(ge=0, le=10**9)] = None) -> Filters:
    return Filters.from_params({k: v for k, v in locals().items() if v is not None})


def _page(request: Request, items: list, total: int, limit: int, offset: int) -> dict:
    nxt = None
    if offset + limit < total:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": nxt}


def _public_event(v: dict) -> dict:
    out = {k: v[k] for k in ("id", "type", "subtype", "types", "status", "date", "place", "actors", "figures",
                             "figure_reports", "demands") if k in v}
    out["corrected"] = v.get("corrected", [])
    out["mentions"] = [{k: m.get(k) for k in ("mention_id", "doc", "doc_id", "doc_title", "doc_date", "type",
                                              "subtype", "date", "place", "figures", "actors", "demands",
                                              "evidence", "source")} for m in v["mentions"]]
    return out


@router.get("/me")
def me(user: User = Depends(api_viewer)) -> dict:
    return {"username": user.username, "role": user.role, "clearance": user.clearance}


@router.get("/events")
def events(request: Request, f: Filters = Depends(filters), limit: Limit = 50, offset: Offset = 0,
           status: Literal["machine", "accepted", "rejected", "any"] | None = None,
           user: User = Depends(api_viewer)) -> dict:
    statuses = ("machine", "accepted")
    if status and user.can("editor"):
        statuses = ("machine", "accepted", "rejected") if status == "any" else (status,)
    sync_index(request.app.state.store)
    with request.app.state.store.engine.connect() as conn:
        items, total = data.list_events(conn, f, user.clearance, limit=limit, offset=offset, statuses=statuses)
    return _page(request, [_public_event(v) for v in items], total, limit, offset)


@router.get("/events/{event_id}")
def event(event_id: Annotated[str, Path(max_length=64)], request: Request,
          user: User = Depends(api_viewer)) -> dict:
    with request.app.state.store.engine.connect() as conn:
        v = data.event_view(conn, event_id, user.clearance)
        if v is None or (v["status"] == "rejected" and not user.can("editor")):
            raise NotFoundError(f"no event {event_id}")
        before, after = data.related_events(conn, v, user.clearance)
    out = _public_event(v)
    out["related"] = {"before": [e["id"] for e in before], "after": [e["id"] for e in after]}
    return out


@router.get("/documents")
def documents(request: Request, f: Filters = Depends(filters), limit: Limit = 50, offset: Offset = 0,
              status: Literal["stored", "extracted", "failed", "superseded"] | None = None,
              user: User = Depends(api_viewer)) -> dict:
    sync_index(request.app.state.store)
    with request.app.state.store.engine.connect() as conn:
        docs, total = data.list_documents(conn, f, user.clearance, limit=limit, offset=offset, status=status)
    for d in docs:
        text, stream = d.pop("text", None), d.pop("stream", None)
        if f.q:
            d["passage"] = [{"text": s, "hit": h} for s, h in passage(text or "", stream or "", f.q)]
    return _page(request, docs, total, limit, offset)


@router.get("/documents/{doc_id}")
def document(doc_id: Annotated[int, Path(ge=0, le=2**62)], request: Request,
             user: User = Depends(api_viewer)) -> dict:
    with request.app.state.store.engine.connect() as conn:
        d = data.get_document(conn, doc_id, user.clearance)
    if d is None:
        raise NotFoundError(f"no document {doc_id}")
    return d


@router.get("/entities")
def entities(request: Request, kind: Literal["person", "organization", "group", "place"] | None = None,
             q: Annotated[str | None, Query(max_length=100)] = None, limit: Limit = 100, offset: Offset = 0,
             user: User = Depends(api_viewer)) -> dict:
    with request.app.state.store.engine.connect() as conn:
        rows, total = data.list_entities(conn, user.clearance, kind, q, limit=limit, offset=offset)
    for r in rows:
        r["url"] = f"/api/v1/entities/{r['kind']}/{r['name']}"
    return _page(request, rows, total, limit, offset)


@router.get("/entities/{kind}/{name}")
def entity(kind: Literal["person", "organization", "group", "place"], name: Annotated[str, Path(max_length=200)],
           request: Request, user: User = Depends(api_viewer)) -> dict:
    with request.app.state.store.engine.connect() as conn:
        ids = data.entity_event_ids(conn, kind, name, user.clearance)
    if not ids:
        raise NotFoundError(f"no {kind} {name}")
    return {"kind": kind, "name": name, "events": ids}


@router.get("/search")
def search(request: Request, f: Filters = Depends(filters), limit: Limit = 20, offset: Offset = 0,
           user: User = Depends(api_viewer)) -> dict:
    store = request.app.state.store
    sync_index(store)
    with store.engine.connect() as conn:
        evs, n_events = data.list_events(conn, f, user.clearance, limit=limit, offset=offset)
        docs, n_docs = data.list_documents(conn, f, user.clearance, limit=limit, offset=offset)
    for d in docs:
        text, stream = d.pop("text", None), d.pop("stream", None)
        d["passage"] = [{"text": s, "hit": h} for s, h in passage(text or "", stream or "", f.q or "")]
    return {"events": {"items": [_public_event(v) for v in evs], "total": n_events},
            "documents": {"items": docs, "total": n_docs}, "limit": limit, "offset": offset}


@router.get("/timeline")
def timeline(request: Request, f: Filters = Depends(filters),
             grain: Literal["year", "month", "day"] | None = None, user: User = Depends(api_viewer)) -> dict:
    with request.app.state.store.engine.connect() as conn:
        pts = visible_points(conn, f, user.clearance)
    return buckets(pts, grain)


@router.get("/map")
def map_points(request: Request, f: Filters = Depends(filters), zoom: Annotated[int, Query(ge=0, le=18)] = 2,
               west: Annotated[float, Query(ge=-720, le=720)] = -180, south: Annotated[float, Query(ge=-90, le=90)] = -90,
               east: Annotated[float, Query(ge=-720, le=720)] = 180, north: Annotated[float, Query(ge=-90, le=90)] = 90,
               user: User = Depends(api_viewer)) -> dict:
    with request.app.state.store.engine.connect() as conn:
        pts = visible_points(conn, f, user.clearance)
    cl = clusters(pts, zoom, (west, south, east, north))
    return {"zoom": zoom, "clusters": cl, "points": sum(c["count"] for c in cl)}


MEDIA = {"events-jsonl": ("application/x-ndjson", "jsonl"), "ftm": ("application/x-ndjson", "ftm.jsonl"),
         "geojson": ("application/geo+json", "geojson"), "acled-csv": ("text/csv", "csv"),
         "csv": ("text/csv", "csv"), "figures-csv": ("text/csv", "csv")}
ExportFormat = Literal["events-jsonl", "acled-csv", "ftm", "geojson", "csv", "figures-csv"]
assert set(ExportFormat.__args__) == set(FORMATS)


class _QueueWriter:
    def __init__(self, q: queue.Queue):
        self.q, self.buf = q, []

    def write(self, s: str) -> int:
        self.buf.append(s)
        if sum(map(len, self.buf)) > 64_000:
            self.flush()
        return len(s)

    def flush(self) -> None:
        if self.buf:
            self.q.put("".join(self.buf).encode("utf-8")); self.buf = []


@router.get("/export")
def export(request: Request, format: ExportFormat = "events-jsonl",
           type: EventType | None = None,
           country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
           date_from: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = None,
           date_to: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = None,
           user: User = Depends(api_viewer)):
    """Every visible event in one of the export formats, streamed, without a row cap."""
    writer = get_writer(format)
    kw = {k: v for k, v in {"type": type, "country": country, "date_from": date_from,
                            "date_to": date_to}.items() if v}
    q: queue.Queue = queue.Queue(maxsize=16)
    done = object()
    store, clearance = request.app.state.store, user.clearance

    def produce():
        out = _QueueWriter(q)
        try:
            writer(store, out, clearance=clearance, **kw)
            out.flush()
        except Exception as e:   # the stream has started: end it with a note rather than hang
            out.flush()
            q.put(f"\n# export failed: {type_name(e)}\n".encode())
        finally:
            q.put(done)

    def type_name(e):
        return type(e).__name__
    threading.Thread(target=produce, daemon=True).start()

    def stream():
        while True:
            chunk = q.get()
            if chunk is done:
                return
            yield chunk
    media, ext = MEDIA[format]
    return StreamingResponse(stream(), media_type=media + "; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="letopis-events.{ext}"'})


# ----------------------------------------------------------------- review actions

class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: Literal["type", "subtype", "date_start", "date_end", "place_name", "country", "lat", "lon"]
    value: str | float | None = Field(default=None)


class MergeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    other: str = Field(min_length=1, max_length=64)


class SplitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mentions: list[Annotated[int, Field(ge=0, le=2**62)]] = Field(min_length=1, max_length=1000)


def _editor(request: Request, user: User = Depends(api_viewer)) -> User:
    require_role(user, "editor")
    check_api_csrf(request)
    return user


@router.post("/events/{event_id}/accept")
def accept(event_id: Annotated[str, Path(max_length=64)], request: Request, user: User = Depends(_editor)) -> dict:
    return review.set_status(request.app.state.store, user, event_id, "accepted")


@router.post("/events/{event_id}/reject")
def reject(event_id: Annotated[str, Path(max_length=64)], request: Request, user: User = Depends(_editor)) -> dict:
    return review.set_status(request.app.state.store, user, event_id, "rejected")


@router.post("/events/{event_id}/correct")
def correct(event_id: Annotated[str, Path(max_length=64)], body: Correction, request: Request,
            user: User = Depends(_editor)) -> dict:
    return review.correct(request.app.state.store, user, event_id, body.field, body.value)


@router.post("/events/{event_id}/merge")
def merge(event_id: Annotated[str, Path(max_length=64)], body: MergeBody, request: Request,
          user: User = Depends(_editor)) -> dict:
    return review.merge(request.app.state.store, user, event_id, body.other)


@router.post("/events/{event_id}/split")
def split(event_id: Annotated[str, Path(max_length=64)], body: SplitBody, request: Request,
          user: User = Depends(_editor)) -> dict:
    return review.split(request.app.state.store, user, event_id, body.mentions)


@router.get("/audit")
def audit(request: Request, limit: Limit = 100, event: Annotated[str | None, Query(max_length=64)] = None,
          user: User = Depends(api_viewer)) -> dict:
    require_role(user, "admin")
    return {"items": review.audit_entries(request.app.state.store, limit, event)}
