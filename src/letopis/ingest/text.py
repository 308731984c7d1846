"""Markdown and plain text, with optional YAML front matter.

The stored text is the whole file as ``open(path, encoding="utf-8").read()``
gives it, front matter included, so evidence offsets index the file itself.
"""
from __future__ import annotations

import re
from functools import partial
from typing import Iterator

from .base import Item, Parsed, ReadContext, Reader, read_bytes, require_bytes
from .decoding import decode_bytes
from .frontmatter import read_front_matter
from .metadata import columns_from_meta

_HEADING = re.compile(r"^[#*_\s]+|[*_\s]+$")


def first_line_title(body: str) -> str | None:
    for line in body.splitlines():
        line = _HEADING.sub("", line)
        if line:
            return line[:300]
    return None


def parse_text(raw: bytes, fmt: str, name: str) -> Parsed:
    text, encoding = decode_bytes(raw, name)
    fm = read_front_matter(text)
    cols, problems = columns_from_meta(fm.meta)
    if fm.error:
        problems.insert(0, fm.error)
    meta = dict(fm.meta)
    if encoding not in ("utf-8",):
        meta.setdefault("encoding", encoding)
    return Parsed(text=text, format=fmt, title=cols["title"] or first_line_title(text[fm.body_start:]),
                  date=cols["date"], language=cols["language"], access=cols["access"], meta=meta,
                  meta_error="; ".join(problems) or None, body_start=fm.body_start)


class TextReader(Reader):
    name = "text"
    extensions = (".md", ".markdown", ".txt", ".text")

    def items(self, path: str, name: str, ctx: ReadContext) -> Iterator[Item]:
        raw = require_bytes(read_bytes(path, ctx.max_bytes), name)
        fmt = "txt" if path.lower().endswith((".txt", ".text")) else "md"
        yield Item(key="", name=name, raw=raw, format=fmt, parse=partial(parse_text, raw, fmt, name))
