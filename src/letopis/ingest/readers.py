"""The readers letopis has, and the choice among them for one file."""
from __future__ import annotations

import os

from .archive import CsvReader, JsonlReader
from .base import Reader
from .html import HtmlReader
from .pdf import PdfFileReader
from .text import TextReader

READERS: tuple[Reader, ...] = (TextReader(), HtmlReader(), PdfFileReader(), JsonlReader(), CsvReader())


def choose_reader(path: str, head: bytes, readers: tuple[Reader, ...] = READERS) -> Reader | None:
    """The reader with the best score for this file, or None when no reader takes it."""
    ext = os.path.splitext(path)[1].lower()
    best, best_score = None, 0
    for reader in readers:
        s = reader.score(ext, head)
        if s > best_score:
            best, best_score = reader, s
    return best


def supported_extensions(readers: tuple[Reader, ...] = READERS) -> list[str]:
    return sorted({e for r in readers for e in r.extensions})
