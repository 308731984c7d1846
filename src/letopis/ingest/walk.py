"""Turning the paths given to ingest into the files to read, safely.

Folders are walked recursively with ``os.walk(followlinks=False)``; symlinked
folders are resolved by hand and walked once per real path, so a link back to
an ancestor is reported as a symlink loop (E018) instead of recursing forever.
Hidden files and folders (a leading dot) are left out. The order is sorted,
hence the same on every run.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from typing import Iterator

from ..errors import IngestError, SymlinkLoopError, UnreadableFileError


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str                        # absolute (not resolved: two links are two paths)
    name: str                        # relative to the folder given, or the file's base name
    explicit: bool = False           # named on the command line
    error: IngestError | None = None


def _stat_error(path: str, e: OSError) -> IngestError:
    if e.errno == errno.ELOOP:
        return SymlinkLoopError(f"{path} is a symlink loop", hint="fix or remove the link")
    if isinstance(e, PermissionError):
        return UnreadableFileError(f"{path}: permission denied", hint="check the permissions")
    if isinstance(e, FileNotFoundError):
        return UnreadableFileError(f"{path}: no such file or folder (or a dangling symlink)")
    return UnreadableFileError(f"{path}: {e.strerror}")


def _walk_dir(root: str, prefix: str, visited: set[str], ancestors: tuple[str, ...]) -> Iterator[FileEntry]:
    real_root = os.path.realpath(root)
    visited.add(real_root)
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=errors.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir
        real_dir = os.path.realpath(dirpath)
        chain = ancestors + (real_dir,)
        for fname in sorted(f for f in filenames if not f.startswith(".")):
            path = os.path.join(dirpath, fname)
            name = os.path.join(prefix, rel_dir, fname) if (prefix or rel_dir) else fname
            yield from _entry(path, name, visited, chain)
        for d in list(dirnames):
            path = os.path.join(dirpath, d)
            if os.path.islink(path):
                dirnames.remove(d)
                yield from _entry(path, os.path.join(prefix, rel_dir, d), visited, chain)
        while errors:
            e = errors.pop(0)
            where = e.filename or dirpath
            yield FileEntry(os.path.abspath(where), os.path.join(prefix, os.path.relpath(where, root)),
                            error=_stat_error(where, e))


def _entry(path: str, name: str, visited: set[str], chain: tuple[str, ...]) -> Iterator[FileEntry]:
    """A file, or a symlink to a file or folder found while walking."""
    apath = os.path.abspath(path)
    if not os.path.islink(path):
        yield FileEntry(apath, name)
        return
    try:
        os.stat(path)
    except OSError as e:
        yield FileEntry(apath, name, error=_stat_error(path, e))
        return
    if not os.path.isdir(path):
        yield FileEntry(apath, name)
        return
    real = os.path.realpath(path)
    if any(c == real or c.startswith(real.rstrip(os.sep) + os.sep) for c in chain):
        yield FileEntry(apath, name, error=SymlinkLoopError(
            f"{path} is a symlink loop: it points back to {real}, a folder above it",
            hint="letopis skipped it; remove the link or ingest its target directly"))
        return
    if real in visited:
        return          # the same folder under another link: already walked once
    yield from _walk_dir(path, name, visited, chain)


def walk_paths(paths: list[str]) -> Iterator[FileEntry]:
    """The files under ``paths`` (files or folders), each with the name it is stored under."""
    visited: set[str] = set()
    for given in paths:
        apath = os.path.abspath(given)
        try:
            os.stat(given)
        except OSError as e:
            yield FileEntry(apath, os.path.basename(apath.rstrip(os.sep)) or given, explicit=True,
                            error=_stat_error(given, e))
            continue
        if os.path.isdir(given):
            yield from _walk_dir(given, "", visited, ())
        else:
            yield FileEntry(apath, os.path.basename(apath), explicit=True)
