"""Tables of the store, in SQLAlchemy Core, portable between SQLite and PostgreSQL.

documents      one row per distinct content (identity: sha256 of the content)
sources        one row per ingested path (or record): which document it holds now, or why it failed
mentions       event mentions extracted from one document (JSON fields, see model.Mention)
events         canonical events made by linking mentions
decisions      human decisions (merge, split, correct) that linking must keep
"""
from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData,
                        String, Table, Text, UniqueConstraint)

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),              # relative path first seen; used as `doc` in exports
    Column("format", String(16), nullable=False),      # md, txt, html, pdf, jsonl, csv, stdin
    Column("raw", LargeBinary, nullable=True),         # original bytes
    Column("text", Text, nullable=True),               # the text evidence offsets index
    Column("title", Text, nullable=True),
    Column("date", String(10), nullable=True),         # ISO at its precision: 2013, 2013-12, 2013-12-18
    Column("language", String(8), nullable=True),
    Column("meta", Text, nullable=True),               # JSON: every front-matter / record key
    Column("meta_error", Text, nullable=True),         # a metadata problem, the text being kept
    Column("access", String(16), nullable=False, default="public"),
    Column("status", String(16), nullable=False),      # stored | extracted | failed
    Column("error_code", String(8), nullable=True),
    Column("error", Text, nullable=True),
    Column("previous_id", Integer, ForeignKey("documents.id"), nullable=True),  # older version
    Column("extractor", String(64), nullable=True),    # extractor version that made its mentions
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_documents_status", documents.c.status)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),  # absolute path, or path#record for archives
    Column("name", Text, nullable=False),               # relative to the folder given to ingest
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=True),
    Column("status", String(16), nullable=False),       # ok | failed
    Column("error_code", String(8), nullable=True),
    Column("error", Text, nullable=True),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_sources_document", sources.c.document_id)

events = Table(
    "events", metadata,
    Column("id", String(32), primary_key=True),         # evt-<hash of natural key>
    Column("type", String(16), nullable=False),
    Column("subtype", String(16), nullable=True),
    Column("date_start", String(10), nullable=True),
    Column("date_end", String(10), nullable=True),
    Column("country", String(2), nullable=True),
    Column("place", Text, nullable=True),               # JSON
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("actors", Text, nullable=False, default="[]"),
    Column("figures", Text, nullable=False, default="{}"),  # JSON: kind -> {low, best, high}
    Column("demands", Text, nullable=False, default="[]"),
    Column("types", Text, nullable=False, default="{}"),    # JSON: type -> count of mentions
    Column("access", String(16), nullable=False, default="public"),  # least restrictive source
    Column("status", String(16), nullable=False, default="machine"),  # machine | accepted | rejected
    Column("updated_at", String(32), nullable=False),
)
Index("ix_events_type_date", events.c.type, events.c.date_start)
Index("ix_events_country", events.c.country)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),             # order within the document
    Column("type", String(16), nullable=False),
    Column("subtype", String(16), nullable=True),
    Column("date_start", String(10), nullable=True),
    Column("date_end", String(10), nullable=True),
    Column("country", String(2), nullable=True),
    Column("data", Text, nullable=False),               # JSON of model.Mention.to_dict()
    Column("event_id", String(32), ForeignKey("events.id"), nullable=True),
    Column("extractor", String(64), nullable=False),
    UniqueConstraint("document_id", "idx", name="uq_mentions_doc_idx"),
)
Index("ix_mentions_event", mentions.c.event_id)
Index("ix_mentions_block", mentions.c.country, mentions.c.type, mentions.c.date_start)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),         # merge | split | correct | accept | reject
    Column("target", Text, nullable=False),             # JSON: what it applies to (mention keys, event id)
    Column("payload", Text, nullable=False),            # JSON: the decision's content
    Column("who", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
)

migrations_log = Table(
    "schema_migrations", metadata,
    Column("name", String(128), primary_key=True),
    Column("applied_at", String(32), nullable=False),
)
