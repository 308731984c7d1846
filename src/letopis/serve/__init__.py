"""The web app: server-rendered pages, a REST API under /api/v1, accounts with clearances.

    create_app(db, anonymous=False) -> FastAPI
    run_server(db, host="127.0.0.1", port=8000, anonymous=False, tile_url=None)
"""
from __future__ import annotations


def create_app(db: str, *, settings=None, anonymous: bool = False, tile_url: str | None = None):
    from .app import create_app as _create
    return _create(db, settings=settings, anonymous=anonymous, tile_url=tile_url)


def run_server(db: str, host: str = "127.0.0.1", port: int = 8000, anonymous: bool = False,
               tile_url: str | None = None) -> None:
    """Serve the store at ``db`` until interrupted."""
    import uvicorn
    from .search import sync_index
    app = create_app(db, anonymous=anonymous, tile_url=tile_url)
    sync_index(app.state.store, force=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


__all__ = ["create_app", "run_server"]
