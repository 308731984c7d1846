"""HTML pages: the article's main text and metadata (trafilatura), not menus and footers."""
from __future__ import annotations

import re
from functools import partial
from typing import Iterator

from ..errors import NoArticleTextError
from .base import Item, Parsed, ReadContext, Reader, read_bytes, require_bytes
from .dates import normalize_date
from .decoding import decode_bytes, universal_newlines

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
SHORT_TEXT = 500   # below this, make sure the text is an article and not leftover navigation


def decode_html(raw: bytes, name: str) -> str:
    m = _CHARSET.search(raw[:4096])
    if m:
        try:
            return universal_newlines(raw.decode(m.group(1).decode("ascii")))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(raw, name)[0]


def parse_html(raw: bytes, name: str) -> Parsed:
    import trafilatura
    html = decode_html(raw, name)
    opts = dict(with_metadata=True, include_comments=False,
                date_extraction_params={"extensive_search": False, "original_date": True})
    doc = trafilatura.bare_extraction(html, **opts)
    text = (doc.text or "").strip() if doc is not None else ""
    if text and len(text) < SHORT_TEXT:
        strict = trafilatura.bare_extraction(html, favor_precision=True, **opts)
        if strict is None or not (strict.text or "").strip():
            text = ""
    if not text:
        raise NoArticleTextError(f"{name} has no article text (only navigation, or nothing)",
                                 hint="is this an index or a login page? save the article page itself")
    meta = {k: getattr(doc, k, None) for k in ("title", "author", "url", "hostname", "sitename",
                                               "date", "description", "language")}
    meta = {k: v for k, v in meta.items() if v}
    return Parsed(text=universal_newlines(text), format="html", title=doc.title or None,
                  date=normalize_date(doc.date), meta=meta)


class HtmlReader(Reader):
    name = "html"
    extensions = (".html", ".htm", ".xhtml")

    def score(self, ext: str, head: bytes) -> int:
        if ext in self.extensions:
            return 10
        sniff = head.lstrip()[:64].lower()
        return 5 if sniff.startswith((b"<!doctype html", b"<html")) else 0

    def items(self, path: str, name: str, ctx: ReadContext) -> Iterator[Item]:
        raw = require_bytes(read_bytes(path, ctx.max_bytes), name)
        yield Item(key="", name=name, raw=raw, format="html", parse=partial(parse_html, raw, name))
