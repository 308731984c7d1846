"""Pages that change things: sign in and out, account and tokens, users, review, ingest."""
from __future__ import annotations

import threading
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse

from ..errors import NotFoundError, UsageError
from . import data, review, users
from .auth import ApiError, check_csrf_value, page_viewer, require_role
from .filters import Filters
from .ingest_jobs import run_job
from .pages import PAGE, _offset, render
from .users import User

router = APIRouter(include_in_schema=False)


async def _form(request: Request) -> dict:
    form = await request.form()
    check_csrf_value(request, form.get("csrf"))
    return form


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/search"


def _back(request: Request, fallback: str) -> RedirectResponse:
    return RedirectResponse(_safe_next(request.query_params.get("next")) if request.query_params.get("next")
                            else fallback, status_code=303)


# ----------------------------------------------------------------- sign in / out

@router.get("/login")
def login_page(request: Request):
    from .users import ANONYMOUS
    return render(request, ANONYMOUS, "login.html", next=_safe_next(request.query_params.get("next")), error=None)


@router.post("/login")
async def login(request: Request):
    from .users import ANONYMOUS
    form = await _form(request)
    name = str(form.get("username") or "")[:64]
    nxt = _safe_next(form.get("next"))
    limiter = request.app.state.limiter
    ip = "ip:" + (request.client.host if request.client else "?")
    if limiter.blocked(ip, "user:" + name):
        return render(request, ANONYMOUS, "login.html", http_status=429, next=nxt,
                      error="Too many failed sign-ins. Wait a few minutes and try again.")
    user = users.authenticate(request.app.state.store, name, str(form.get("password") or ""))
    if user is None:
        limiter.fail(ip, "user:" + name)
        return render(request, ANONYMOUS, "login.html", http_status=401, next=nxt,
                      error="Wrong user name or password.")
    limiter.reset("user:" + name)
    request.session.clear()
    request.session["uid"] = user.id
    return RedirectResponse(nxt, status_code=303)


@router.post("/logout")
async def logout(request: Request):
    await _form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# ----------------------------------------------------------------- account, tokens, users

@router.get("/account")
def account(request: Request, user: User = Depends(page_viewer)):
    require_role(user, "reader")
    store = request.app.state.store
    new_token = request.session.pop("new_token", None)
    return render(request, user, "account.html", tokens=users.list_tokens(store, user.id), new_token=new_token,
                  all_users=users.list_users(store) if user.can("admin") else None, message=None)


@router.post("/account/tokens")
async def new_token(request: Request, user: User = Depends(page_viewer)):
    require_role(user, "reader")
    form = await _form(request)
    tok = users.create_token(request.app.state.store, user.id, str(form.get("name") or "token"))
    request.session["new_token"] = tok     # shown once on the next page, never in a URL
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke")
async def revoke(token_id: int, request: Request, user: User = Depends(page_viewer)):
    require_role(user, "reader")
    await _form(request)
    users.revoke_token(request.app.state.store, user.id, token_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/users")
async def add_user(request: Request, user: User = Depends(page_viewer)):
    require_role(user, "admin")
    form = await _form(request)
    users.add_user(request.app.state.store, str(form.get("username") or ""), str(form.get("password") or ""),
                   str(form.get("role") or ""), str(form.get("clearance") or "") or None)
    return RedirectResponse("/account", status_code=303)


# ----------------------------------------------------------------- review

@router.get("/review")
def review_page(request: Request, user: User = Depends(page_viewer)):
    require_role(user, "editor")
    store = request.app.state.store
    f = Filters.from_params(request.query_params)
    offset = _offset(request)
    status = request.query_params.get("status") or "machine"
    status = status if status in ("machine", "accepted", "rejected") else "machine"
    with store.engine.connect() as conn:
        events, total = data.list_events(conn, f, user.clearance, limit=10, offset=offset, statuses=(status,))
    return render(request, user, "review.html", events=events, total=total, offset=offset, page=10, f=f,
                  status=status, fields=data.CORRECTABLE)


@router.post("/review/{event_id}/{action}")
async def review_action(event_id: str, action: str, request: Request, user: User = Depends(page_viewer)):
    require_role(user, "editor")
    form = await _form(request)
    store = request.app.state.store
    target = f"/events/{quote(event_id)}"
    if action == "accept":
        review.set_status(store, user, event_id, "accepted")
    elif action == "reject":
        review.set_status(store, user, event_id, "rejected")
    elif action == "reopen":
        review.set_status(store, user, event_id, "machine")
    elif action == "correct":
        review.correct(store, user, event_id, str(form.get("field") or ""), form.get("value"))
    elif action == "merge":
        review.merge(store, user, event_id, str(form.get("other") or "").strip())
    elif action == "split":
        try:
            ids = [int(x) for x in form.getlist("mention")]
        except ValueError:
            raise UsageError("mention ids must be numbers") from None
        new = review.split(store, user, event_id, ids)
        target = f"/events/{quote(new['id'])}"
    else:
        raise NotFoundError(f"no review action {action}")
    return _back(request, target)


@router.get("/audit")
def audit_page(request: Request, user: User = Depends(page_viewer)):
    require_role(user, "admin")
    return render(request, user, "audit.html", entries=review.audit_entries(request.app.state.store, 200))


# ----------------------------------------------------------------- ingest

@router.get("/ingest")
def ingest_page(request: Request, user: User = Depends(page_viewer)):
    require_role(user, "editor")
    return render(request, user, "ingest.html", jobs=request.app.state.jobs.recent(), job=None)


@router.post("/ingest")
async def ingest_upload(request: Request, user: User = Depends(page_viewer)):
    require_role(user, "editor")
    length = int(request.headers.get("content-length") or 0)
    if length > request.app.state.max_upload:
        raise ApiError(413, "too_large", f"uploads are limited to {request.app.state.max_upload} bytes")
    form = await _form(request)
    access = str(form.get("access") or "public")
    if access not in ("public", "restricted", "confidential"):
        raise UsageError(f"access {access!r} is not known")
    from ..store.events import ACCESS_RANK
    if ACCESS_RANK[access] > ACCESS_RANK.get(user.clearance, 0):
        raise ApiError(403, "forbidden", "you cannot store documents above your own clearance")
    settings = request.app.state.settings
    files = []
    for up in form.getlist("files"):
        if hasattr(up, "read"):
            files.append((up.filename or "upload", await up.read()))
    if not files:
        raise UsageError("choose at least one file or a .zip archive")
    job = request.app.state.jobs.add(user.username, access)
    threading.Thread(target=run_job, daemon=True, name=f"ingest-{job.id}",
                     args=(request.app.state.store, job, files, settings.max_file_bytes,
                           request.app.state.max_upload * 5, settings.language_candidates)).start()
    return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)


@router.get("/ingest/jobs/{job_id}")
def ingest_job(job_id: str, request: Request, user: User = Depends(page_viewer)):
    require_role(user, "editor")
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise NotFoundError(f"no ingest job {job_id}")
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(job.as_dict())
    return render(request, user, "ingest.html", jobs=request.app.state.jobs.recent(), job=job)
