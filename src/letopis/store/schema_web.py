"""Tables of the web app (migrations 002_search_fts and 003_accounts_audit).

doc_fts / mention_fts   SQLite FTS5 indexes of lemmas (created by raw DDL, SQLite only):
                        doc_fts(rowid = documents.id, lemmas), mention_fts(rowid = mentions.id, sig, lemmas)
users                   local accounts: argon2 password hash, role, clearance
api_tokens              hashed bearer tokens for the REST API
web_settings            key/value: the generated session secret when LETOPIS_SECRET_KEY is unset
audit_log               append-only: who changed what, when, the value before and after
"""
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from .schema import metadata

DOC_FTS_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS doc_fts USING fts5("
               "lemmas, tokenize = 'unicode61 remove_diacritics 2')")
MENTION_FTS_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS mention_fts USING fts5("
                   "sig UNINDEXED, lemmas, tokenize = 'unicode61 remove_diacritics 2')")

# covering indexes: clearance checks on search hits read no document text, and hits map to events fast
WEB_INDEXES_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_web_documents_access ON documents(id, access, status)",
    "CREATE INDEX IF NOT EXISTS ix_web_mentions_doc_event ON mentions(document_id, event_id)",
    "CREATE INDEX IF NOT EXISTS ix_web_mentions_id_event ON mentions(id, event_id, document_id)",
    "CREATE INDEX IF NOT EXISTS ix_web_events_date ON events(date_start, id)",
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),          # reader | editor | admin
    Column("clearance", String(16), nullable=False),     # public | restricted | confidential
    Column("disabled", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),   # sha256 of the token
    Column("name", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("last_used", String(32), nullable=True),
)

web_settings = Table(
    "web_settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("who", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("action", String(32), nullable=False),        # accept | reject | correct | merge | split | ...
    Column("target", Text, nullable=False),              # JSON
    Column("before", Text, nullable=True),               # JSON
    Column("after", Text, nullable=True),                # JSON
)
Index("ix_audit_at", audit_log.c.at)
