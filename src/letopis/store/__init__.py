"""The store: one interface over SQLite (default) and PostgreSQL."""
from .engine import Store, open_store, database_url

__all__ = ["Store", "open_store", "database_url"]
