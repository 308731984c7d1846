"""Named, transactional migrations.

Each migration is a function of a connection, applied once, in order, inside a
transaction, and recorded in ``schema_migrations``. Add new ones at the end of
``MIGRATIONS``; never edit one that has shipped.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Connection, inspect, select

from . import schema

Migration = tuple[str, Callable[[Connection], None]]


def _m001_initial(conn: Connection) -> None:
    tables = [schema.documents, schema.sources, schema.events, schema.mentions, schema.decisions]
    schema.metadata.create_all(conn, tables=tables)


def _m002_search_fts(conn: Connection) -> None:
    """Full-text indexes of lemmas (SQLite FTS5) and covering indexes the web's clearance checks use
    (a document's access is read without touching its text); other databases search without them."""
    if conn.dialect.name != "sqlite":
        return
    from sqlalchemy import text
    from .schema_web import DOC_FTS_DDL, MENTION_FTS_DDL, WEB_INDEXES_DDL
    conn.execute(text(DOC_FTS_DDL))
    conn.execute(text(MENTION_FTS_DDL))
    for ddl in WEB_INDEXES_DDL:
        conn.execute(text(ddl))


def _m003_accounts_audit(conn: Connection) -> None:
    from . import schema_web
    schema.metadata.create_all(conn, tables=[schema_web.users, schema_web.api_tokens,
                                             schema_web.web_settings, schema_web.audit_log])


def _m004_entities_links(conn: Connection) -> None:
    """Linking state (keys, event sizes, applied decisions) and entities; the next link is a full one."""
    from . import schema_link as sl
    schema.metadata.create_all(conn, tables=[sl.link_members, sl.link_events, sl.link_state,
                                             sl.event_decisions, sl.entities, sl.entity_events])


MIGRATIONS: list[Migration] = [
    ("001_initial", _m001_initial),
    ("002_search_fts", _m002_search_fts),
    ("003_accounts_audit", _m003_accounts_audit),
    ("004_entities_links", _m004_entities_links),
]


def applied(conn: Connection) -> set[str]:
    if not inspect(conn).has_table("schema_migrations"):
        return set()
    return set(conn.execute(select(schema.migrations_log.c.name)).scalars())


def migrate(engine) -> list[str]:
    """Apply every pending migration; returns the names applied now."""
    done: list[str] = []
    with engine.begin() as conn:
        schema.metadata.create_all(conn, tables=[schema.migrations_log])
    for name, fn in MIGRATIONS:
        with engine.begin() as conn:
            if name in applied(conn):
                continue
            fn(conn)
            conn.execute(schema.migrations_log.insert().values(
                name=name, applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
            done.append(name)
    return done
