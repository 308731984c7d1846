"""What readers produce, and how they compete for a file (the Aleph ingest-file idea).

A reader declares the extensions it takes and scores a file by its extension
and first bytes; the best score reads it. ``items`` yields one ``Item`` per
document in the file (one for a report, one per record for an archive). An
item carries the bytes that give its identity and a ``parse`` that makes the
document, so an unchanged file is never parsed again.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Iterator

from ..errors import EmptyDocumentError, TooLargeError, UnreadableFileError

HEAD_BYTES = 2048


@dataclass(frozen=True, slots=True)
class Parsed:
    """A document as a reader made it, before it is stored."""
    text: str
    format: str
    title: str | None = None
    date: str | None = None
    language: str | None = None        # declared in metadata; else detected later
    access: str | None = None          # declared in metadata; else the ingest default
    meta: dict = field(default_factory=dict)
    meta_error: str | None = None
    body_start: int = 0                # where the prose begins (after front matter)


@dataclass(frozen=True, slots=True)
class Item:
    key: str                           # appended to the file path: '' or '#<record>'
    name: str                          # the document's name (`doc` in exports)
    raw: bytes                         # identity bytes, kept as the document's original
    format: str
    parse: Callable[[], Parsed] | None = None
    error: Exception | None = None     # a failure known before parsing


@dataclass(frozen=True, slots=True)
class ReadContext:
    max_bytes: int
    fields: "FieldNames"


@dataclass(frozen=True, slots=True)
class FieldNames:
    """Record fields given on the command line (None: detect from common names)."""
    text: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None


class Reader:
    name: ClassVar[str] = "reader"
    extensions: ClassVar[tuple[str, ...]] = ()

    def score(self, ext: str, head: bytes) -> int:
        return 10 if ext in self.extensions else 0

    def items(self, path: str, name: str, ctx: ReadContext) -> Iterator[Item]:
        raise NotImplementedError


def check_regular(path: str) -> os.stat_result:
    """stat a path we are about to read; raises E017 for anything but a regular file."""
    try:
        st = os.stat(path)
    except PermissionError as e:
        raise UnreadableFileError(f"{path}: permission denied", hint="check the file's permissions") from e
    except FileNotFoundError as e:
        raise UnreadableFileError(f"{path}: no such file (vanished, or a dangling symlink)") from e
    except OSError as e:
        raise UnreadableFileError(f"{path}: cannot be read: {e.strerror}") from e
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFileError(f"{path} is not a regular file", hint="letopis reads files and folders")
    return st


def read_bytes(path: str, limit: int | None = None) -> bytes:
    """The bytes of a file, refusing files over ``limit`` (E013) and unreadable ones (E017)."""
    st = check_regular(path)
    if limit is not None and st.st_size > limit:
        raise TooLargeError(f"{path} is {st.st_size:,} bytes, over the limit of {limit:,}",
                            hint="raise it with --max-bytes or the setting max_file_bytes")
    try:
        fd = os.open(path, os.O_RDONLY)
    except PermissionError as e:
        raise UnreadableFileError(f"{path}: permission denied", hint="check the file's permissions") from e
    except OSError as e:
        raise UnreadableFileError(f"{path}: cannot be opened: {e.strerror}") from e
    try:
        with os.fdopen(fd, "rb") as f:
            data = f.read(limit + 1 if limit is not None else -1)
    except OSError as e:
        raise UnreadableFileError(f"{path}: read failed: {e.strerror}") from e
    if limit is not None and len(data) > limit:
        raise TooLargeError(f"{path} grew past the limit of {limit:,} bytes while being read")
    return data


def read_head(path: str) -> bytes:
    """The first bytes of a file, to choose its reader."""
    check_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except PermissionError as e:
        raise UnreadableFileError(f"{path}: permission denied", hint="check the file's permissions") from e
    except OSError as e:
        raise UnreadableFileError(f"{path}: cannot be opened: {e.strerror}") from e
    with os.fdopen(fd, "rb") as f:
        return f.read(HEAD_BYTES)


def require_bytes(raw: bytes, name: str) -> bytes:
    if not raw.strip():
        raise EmptyDocumentError(f"{name} is empty", hint="nothing to store")
    return raw
