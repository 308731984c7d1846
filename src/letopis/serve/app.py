"""The app factory: store, sessions, security headers, error handlers, templates, routers."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ..errors import LetopisError, NotFoundError, UsageError
from ..settings import Settings, load_settings
from ..store import open_store
from .auth import ApiError, LoginRequired, RateLimiter, csrf_token
from .ingest_jobs import JobBoard
from .users import secret_key

HERE = Path(__file__).parent
log = logging.getLogger("letopis.serve")


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["urlq"] = lambda s: quote(str(s), safe="")
    return env


def _csp(tile_url: str | None) -> str:
    img = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"))
        if parts.scheme in ("http", "https") and parts.hostname:
            host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
            img += f" {parts.scheme}://{host}"
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src {img}; connect-src 'self'; font-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _wants_html(request: Request) -> bool:
    return (not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", ""))


def create_app(db: str, *, settings: Settings | None = None, anonymous: bool = False,
               tile_url: str | None = None) -> FastAPI:
    """The web app over the store at ``db`` (a path, ':memory:' or a SQLAlchemy URL)."""
    settings = settings or load_settings()
    store = open_store(db)
    app = FastAPI(title="letopis", version="1", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Evidence-linked chronicle of protest and repression events. "
                              "Authenticate with `Authorization: Bearer <token>` (tokens: /account).")
    app.state.store = store
    app.state.settings = settings
    app.state.anonymous = anonymous
    app.state.tile_url = tile_url
    app.state.limiter = RateLimiter()
    app.state.jobs = JobBoard()
    app.state.max_upload = 200 * 1024 * 1024
    templates = Jinja2Templates(env=_env())
    app.state.templates = templates
    csp = _csp(tile_url)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        h = response.headers
        h.setdefault("Content-Security-Policy", csp)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            h.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(SessionMiddleware, secret_key=secret_key(store), session_cookie="letopis_session",
                       max_age=14 * 24 * 3600, same_site="lax", https_only=False)

    def render_error(request: Request, status: int, code: str, message: str):
        if _wants_html(request) and "session" in request.scope:
            user = getattr(request.state, "user_resolved", (None, False))[0]
            return templates.TemplateResponse(request, "error.html", {
                "status": status, "code": code, "message": message, "user": user,
                "csrf": csrf_token(request), "anonymous": anonymous,
                "path": request.url.path}, status_code=status)
        return JSONResponse(error_body(code, message), status_code=status)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if _wants_html(request):
            nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?next=" + quote(nxt, safe=""), status_code=303)
        return JSONResponse(error_body("unauthorized", "sign in first"), status_code=401)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return render_error(request, exc.status, exc.code, exc.message)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError):
        return render_error(request, 404, "not_found", exc.message)

    @app.exception_handler(UsageError)
    async def usage(request: Request, exc: UsageError):
        return render_error(request, 400, "bad_request", str(exc))

    @app.exception_handler(LetopisError)
    async def letopis_error(request: Request, exc: LetopisError):
        return render_error(request, 500, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}.get(
            exc.status_code, f"http_{exc.status_code}")
        msg = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            msg = "nothing here"
        return render_error(request, exc.status_code, code, msg)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError):
        errs = exc.errors()
        where = "; ".join(".".join(str(x) for x in e.get("loc", ())) + ": " + str(e.get("msg")) for e in errs[:5])
        return render_error(request, 422, "invalid", where or "the request is not valid")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return render_error(request, 500, "internal", "the server failed on this request; it has been logged")

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    from . import api, api_interop, pages, pages_admin
    app.include_router(api.router)
    app.include_router(api_interop.router)
    app.include_router(pages.router)
    app.include_router(pages_admin.router)
    return app
