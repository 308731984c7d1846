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


MIGRATIONS: list[Migration] = [
    ("001_initial", _m001_initial),
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
