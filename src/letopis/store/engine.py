"""Opening a store: SQLite by default (one file, WAL), PostgreSQL by URL."""
from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from .migrations import migrate


@dataclass
class Store:
    engine: Engine
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def database_url(db: str) -> str:
    """A file path, ':memory:' or a SQLAlchemy URL → a SQLAlchemy URL."""
    if "://" in db:
        return db
    if db == ":memory:":
        return "sqlite://"
    return "sqlite:///" + os.path.abspath(os.path.expanduser(db))


def open_store(db: str) -> Store:
    """Open (and migrate) the store at ``db``: a path, ':memory:' or a URL."""
    url = database_url(db)
    if url.startswith("sqlite"):
        from sqlalchemy.pool import StaticPool
        kw = {"poolclass": StaticPool} if url == "sqlite://" else {}
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kw)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return Store(engine=engine, url=url)
