"""One document from standard input (`letopis ingest -`): sniffed as PDF, HTML or text."""
from __future__ import annotations

import hashlib
import sys
from functools import partial
from typing import BinaryIO

from ..errors import EmptyDocumentError, TooLargeError
from .base import Item, ReadContext
from .html import parse_html
from .pdf import parse_pdf
from .text import parse_text

STDIN_PATH = "stdin:"


def stdin_item(stream: BinaryIO | None, ctx: ReadContext) -> tuple[Item, str]:
    """(item, source path) for the bytes on ``stream`` (default: sys.stdin)."""
    stream = stream if stream is not None else sys.stdin.buffer
    raw = stream.read(ctx.max_bytes + 1)
    if len(raw) > ctx.max_bytes:
        err = TooLargeError(f"standard input is over the limit of {ctx.max_bytes:,} bytes",
                            hint="raise it with --max-bytes or the setting max_file_bytes")
        return Item(key="", name="stdin", raw=b"", format="stdin", error=err), STDIN_PATH
    if not raw.strip():
        err = EmptyDocumentError("standard input is empty", hint="pipe a document into `letopis ingest -`")
        return Item(key="", name="stdin", raw=b"", format="stdin", error=err), STDIN_PATH
    name = f"stdin-{hashlib.sha256(raw).hexdigest()[:12]}"
    head = raw.lstrip()[:64].lower()
    if head.startswith(b"%pdf-"):
        parse = partial(parse_pdf, raw, name)
    elif head.startswith((b"<!doctype html", b"<html")):
        parse = partial(parse_html, raw, name)
    else:
        parse = partial(parse_text, raw, "stdin", name)
    return Item(key="", name=name, raw=raw, format="stdin", parse=parse), STDIN_PATH + name
