"""Reading pages: search, events, documents, entities, timeline, map."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from ..errors import NotFoundError
from ..model import ACCESS_LEVELS, EVENT_TYPES, FIGURE_KINDS
from . import data
from .auth import csrf_token, page_viewer
from .filters import Filters
from .highlight import segments, spans_of
from .search import passage, sync_index
from .users import User

router = APIRouter(include_in_schema=False)
PAGE = 25


def render(request: Request, user: User, template: str, http_status: int = 200, **ctx):
    app = request.app
    base = {"user": user, "csrf": csrf_token(request), "anonymous": app.state.anonymous,
            "event_types": EVENT_TYPES, "figure_kinds": FIGURE_KINDS, "access_levels": ACCESS_LEVELS,
            "path": request.url.path}
    return app.state.templates.TemplateResponse(request, template, {**base, **ctx}, status_code=http_status)


def _offset(request: Request) -> int:
    try:
        return max(0, min(int(request.query_params.get("offset", 0)), 10**7))
    except ValueError:
        return 0


@router.get("/")
def home():
    return RedirectResponse("/search", status_code=303)


@router.get("/search")
def search_page(request: Request, user: User = Depends(page_viewer)):
    store = request.app.state.store
    f = Filters.from_params(request.query_params)
    offset = _offset(request)
    sync_index(store)
    with store.engine.connect() as conn:
        events, n_events = data.list_events(conn, f, user.clearance, limit=10, offset=0)
        docs, n_docs = data.list_documents(conn, f, user.clearance, limit=PAGE, offset=offset)
    for d in docs:
        d["passage"] = passage(d.pop("text", "") or "", d.pop("stream", "") or "", f.q or "")
    return render(request, user, "search.html", f=f, events=events, n_events=n_events, docs=docs,
                  n_docs=n_docs, offset=offset, page=PAGE)


@router.get("/events")
def events_page(request: Request, user: User = Depends(page_viewer)):
    store = request.app.state.store
    f = Filters.from_params(request.query_params)
    offset = _offset(request)
    sync_index(store)
    with store.engine.connect() as conn:
        events, total = data.list_events(conn, f, user.clearance, limit=PAGE, offset=offset)
    return render(request, user, "events.html", f=f, events=events, total=total, offset=offset, page=PAGE)


@router.get("/events/{event_id}")
def event_page(event_id: str, request: Request, user: User = Depends(page_viewer)):
    store = request.app.state.store
    with store.engine.connect() as conn:
        view = data.event_view(conn, event_id, user.clearance)
        if view is None or (view["status"] == "rejected" and not user.can("editor")):
            raise NotFoundError(f"no event {event_id}")
        before, after = data.related_events(conn, view, user.clearance)
    from .review import audit_entries
    audit = audit_entries(store, 20, event_id) if user.can("editor") else []
    signatories = sorted({s for m in view["mentions"] for s in (m.get("signatories") or [])
                          if isinstance(s, str)}) if view else []
    return render(request, user, "event.html", ev=view, before=before, after=after, audit=audit,
                  signatories=signatories, tile_url=request.app.state.tile_url)


@router.get("/documents")
def documents_page(request: Request, user: User = Depends(page_viewer)):
    store = request.app.state.store
    f = Filters.from_params(request.query_params)
    offset = _offset(request)
    status = request.query_params.get("status")
    status = status if status in ("stored", "extracted", "failed", "superseded") else None
    sync_index(store)
    with store.engine.connect() as conn:
        docs, total = data.list_documents(conn, f, user.clearance, limit=PAGE, offset=offset, status=status)
    for d in docs:
        d.pop("text", None); d.pop("stream", None)
    return render(request, user, "documents.html", f=f, docs=docs, total=total, offset=offset, page=PAGE,
                  status=status)


@router.get("/documents/{doc_id}")
def document_page(doc_id: int, request: Request, user: User = Depends(page_viewer)):
    store = request.app.state.store
    with store.engine.connect() as conn:
        doc = data.get_document(conn, doc_id, user.clearance)
    if doc is None:
        raise NotFoundError(f"no document {doc_id}")
    segs = segments(doc["text"] or "", spans_of(doc["mentions"]))
    return render(request, user, "document.html", doc=doc, segments=segs)


@router.get("/entities")
def entities_page(request: Request, user: User = Depends(page_viewer)):
    store = request.app.state.store
    kind = request.query_params.get("kind")
    kind = kind if kind in data.ENTITY_KINDS else None
    q = (request.query_params.get("q") or "").strip()[:100] or None
    offset = _offset(request)
    with store.engine.connect() as conn:
        rows, total = data.list_entities(conn, user.clearance, kind, q, limit=100, offset=offset)
    return render(request, user, "entities.html", rows=rows, total=total, kind=kind, q=q, offset=offset,
                  kinds=data.ENTITY_KINDS, page=100)


@router.get("/entities/{kind}/{name:path}")
def entity_page(kind: str, name: str, request: Request, user: User = Depends(page_viewer)):
    if kind not in data.ENTITY_KINDS:
        raise NotFoundError(f"no entity kind {kind}")
    store = request.app.state.store
    with store.engine.connect() as conn:
        ids = data.entity_event_ids(conn, kind, name, user.clearance)
        views = data.event_views(conn, ids, user.clearance)
    events = [views[i] for i in ids if i in views]
    if not events:
        raise NotFoundError(f"no {kind} {name}")
    return render(request, user, "entity.html", kind=kind, name=name, events=events)


@router.get("/timeline")
def timeline_page(request: Request, user: User = Depends(page_viewer)):
    f = Filters.from_params(request.query_params)
    return render(request, user, "timeline.html", f=f)


@router.get("/map")
def map_page(request: Request, user: User = Depends(page_viewer)):
    f = Filters.from_params(request.query_params)
    return render(request, user, "map.html", f=f, tile_url=request.app.state.tile_url)
