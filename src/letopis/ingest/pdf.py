"""PDF with a text layer (pypdf). A scan without one fails with "no text layer"."""
from __future__ import annotations

import io
import logging
from functools import partial
from typing import Iterator

from ..errors import NoTextLayerError, PdfError
from .base import Item, Parsed, ReadContext, Reader, read_bytes, require_bytes
from .dates import normalize_date
from .decoding import universal_newlines


def parse_pdf(raw: bytes, name: str) -> Parsed:
    from pypdf import PdfReader
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not raw.lstrip()[:5] == b"%PDF-":
        raise PdfError(f"{name} is not a PDF (no %PDF header)", hint="is the file damaged or misnamed?")
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError(f"{name} is encrypted with a password", hint="save an unencrypted copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata or {}
        title = info.get("/Title")
        created = info.get("/CreationDate")
        author = info.get("/Author")
    except PdfError:
        raise
    except Exception as e:  # pypdf raises many kinds of errors on damaged files
        raise PdfError(f"{name} is a corrupt PDF: {type(e).__name__}: {e}",
                       hint="open it in a viewer; re-save or re-download it") from e
    text = universal_newlines("\n\n".join(p for p in pages if p))
    if not text.strip():
        raise NoTextLayerError(f"{name} has no text layer (a scanned PDF?), {len(pages)} page(s)",
                               hint="run OCR first, e.g. ocrmypdf, then ingest the result")
    meta = {"pages": len(pages)}
    for k, v in (("title", title), ("author", author), ("created", created)):
        if v:
            meta[k] = str(v)
    return Parsed(text=text, format="pdf", title=str(title).strip() if title else None,
                  date=normalize_date(str(created)) if created else None, meta=meta)


class PdfFileReader(Reader):
    name = "pdf"
    extensions = (".pdf",)

    def score(self, ext: str, head: bytes) -> int:
        if head.startswith(b"%PDF-"):
            return 20
        return 10 if ext in self.extensions else 0

    def items(self, path: str, name: str, ctx: ReadContext) -> Iterator[Item]:
        raw = require_bytes(read_bytes(path, ctx.max_bytes), name)
        yield Item(key="", name=name, raw=raw, format="pdf", parse=partial(parse_pdf, raw, name))
