"""Ingest: files, folders, archives and stdin → documents in the store.

    ingest_paths(store, ["reports/"], IngestOptions(access="restricted")) → IngestStats
"""
from .base import FieldNames
from .driver import IngestOptions, IngestStats, ingest_paths

__all__ = ["FieldNames", "IngestOptions", "IngestStats", "ingest_paths"]
