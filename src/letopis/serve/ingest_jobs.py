"""Ingest from the browser: uploaded files or a zip archive, run in a background thread.

Uploaded names are never trusted: each path component is reduced to safe
characters, absolute paths, '..', links and devices are refused, and the total
size, the number of files and each file's size are limited (zip bombs included).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..store import Store

SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
MAX_FILES = 5000


def safe_relpath(name: str) -> str | None:
    """An archive or upload name → a safe relative path, or None to refuse it."""
    name = (name or "").replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = []
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            return None
        part = SAFE.sub("_", part).strip("._-")[:120]
        if not part:
            return None
        parts.append(part)
    return "/".join(parts) if parts else None


@dataclass
class Job:
    id: str
    who: str
    access: str
    state: str = "queued"            # queued | ingesting | extracting | linking | done | failed
    done: int = 0
    total: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)   # (name, reason)
    summary: str = ""
    started: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def as_dict(self) -> dict:
        return {"id": self.id, "who": self.who, "state": self.state, "done": self.done, "total": self.total,
                "failures": [{"name": n, "reason": r} for n, r in self.failures], "summary": self.summary,
                "started": self.started}


class JobBoard:
    def __init__(self):
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def recent(self) -> list[Job]:
        return sorted(self.jobs.values(), key=lambda j: j.started, reverse=True)[:20]

    def add(self, who: str, access: str) -> Job:
        job = Job(uuid.uuid4().hex[:12], who, access)
        with self.lock:
            self.jobs[job.id] = job
        return job


def unpack(files: list[tuple[str, bytes]], dest: str, max_bytes: int, max_total: int,
           failures: list[tuple[str, str]]) -> int:
    """Write uploads (zip archives unpacked) under ``dest``; returns the files written."""
    total, written = 0, 0

    def put(name: str, data: bytes) -> None:
        nonlocal total, written
        rel = safe_relpath(name)
        if rel is None:
            failures.append((name[:200], "refused: unsafe file name")); return
        if len(data) > max_bytes:
            failures.append((rel, f"refused: larger than {max_bytes} bytes")); return
        if total + len(data) > max_total or written >= MAX_FILES:
            failures.append((rel, "refused: the upload is over its total size or file count limit")); return
        path = os.path.join(dest, rel)
        if not os.path.realpath(path).startswith(os.path.realpath(dest) + os.sep):
            failures.append((rel, "refused: outside the upload folder")); return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(path):
            base, ext = os.path.splitext(path)
            path = f"{base}-{written}{ext}"
        with open(path, "wb") as f:
            f.write(data)
        total += len(data); written += 1

    for name, data in files:
        if name.lower().endswith(".zip"):
            try:
                import io
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    for info in z.infolist():
                        if info.is_dir():
                            continue
                        mode = (info.external_attr >> 16) & 0o170000
                        if mode and mode != 0o100000:
                            failures.append((info.filename[:200], "refused: not a regular file")); continue
                        if info.file_size > max_bytes:
                            failures.append((info.filename[:200], f"refused: larger than {max_bytes} bytes")); continue
                        with z.open(info) as fh:
                            chunk = fh.read(max_bytes + 1)
                        put(info.filename, chunk)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
                failures.append((name[:200], f"the archive cannot be read: {e}"))
        else:
            put(name, data)
    return written


def run_job(store: Store, job: Job, files: list[tuple[str, bytes]], max_bytes: int, max_total: int,
            languages) -> None:
    from .. import pipeline
    from ..ingest import IngestOptions, ingest_paths
    from .review import reapply_decisions
    from .search import sync_index
    with _RUN_LOCK:                 # one ingest at a time: linking rebuilds every event
        _run(store, job, files, max_bytes, max_total, languages)


_RUN_LOCK = threading.Lock()


def _run(store, job, files, max_bytes, max_total, languages) -> None:
    from .. import pipeline
    from ..ingest import IngestOptions, ingest_paths
    from .review import reapply_decisions
    from .search import sync_index
    tmp = tempfile.mkdtemp(prefix="letopis-upload-")
    try:
        job.state = "ingesting"
        folder = os.path.join(tmp, "upload-" + job.id)
        os.makedirs(folder)
        n = unpack(files, folder, max_bytes, max_total, job.failures)
        job.total = n

        def progress(done, total):
            job.done, job.total = done, total
        if n:
            stats = ingest_paths(store, [folder], IngestOptions(access=job.access, max_bytes=max_bytes,
                                                                 languages=languages), progress=progress)
            job.failures += [(name, f"[{code}] {msg}") for name, code, msg in stats.failures]
            job.state = "extracting"
            es = pipeline.extract_pending(store)
            job.failures += [(f"document {d}", err.splitlines()[0] if err else "") for d, err in es.errors]
            job.state = "linking"
            ls = pipeline.link(store)
            reapply_decisions(store)
            sync_index(store, force=True)
            job.summary = f"{stats.summary()}; extracted {es.documents}, mentions {es.mentions}, events {ls.events}"
        else:
            job.summary = "nothing to ingest"
        job.state = "done"
    except Exception as e:      # the job reports any failure; the server goes on
        job.state = "failed"
        job.failures.append(("(job)", f"{type(e).__name__}: {e}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
