"""One exception tree for letopis. The library raises; ``cli.py`` turns these into messages and exit codes.

    LetopisError                      [E000]
    ├── IngestError                   a file could not be read into a document
    │   ├── DecodeError               [E010] bytes are not text in any encoding we know
    │   ├── EmptyDocumentError        [E011] nothing to read
    │   ├── BinaryContentError        [E012] binary junk under a text name
    │   ├── TooLargeError             [E013] over the size limit (setting max_file_bytes)
    │   ├── PdfError                  [E014] corrupt PDF
    │   ├── NoTextLayerError          [E015] scanned PDF: no text layer
    │   ├── NoArticleTextError        [E016] HTML page without article text
    │   ├── UnreadableFileError       [E017] permission denied, vanished, or not a regular file
    │   ├── SymlinkLoopError          [E018] a symlink loop
    │   ├── UnsupportedFormatError    [E019] a file type no reader takes
    │   └── RecordError               [E020] a JSONL/CSV record without text
    ├── MetadataWarning               [E030] front matter could not be parsed (text kept)
    ├── ExtractionError               [E040] an extractor failed on one document
    ├── StoreError                    [E050] the store cannot be opened or written
    ├── NotFoundError                 [E060] no such document, event or entity
    └── UsageError                    [E070] bad arguments or settings
"""
from __future__ import annotations


class LetopisError(Exception):
    code = "E000"

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        s = f"[{self.code}] {self.message}"
        return f"{s} ({self.hint})" if self.hint else s


class IngestError(LetopisError):
    code = "E010"


class DecodeError(IngestError):
    code = "E010"


class EmptyDocumentError(IngestError):
    code = "E011"


class BinaryContentError(IngestError):
    code = "E012"


class TooLargeError(IngestError):
    code = "E013"


class PdfError(IngestError):
    code = "E014"


class NoTextLayerError(IngestError):
    code = "E015"


class NoArticleTextError(IngestError):
    code = "E016"


class UnreadableFileError(IngestError):
    code = "E017"


class SymlinkLoopError(IngestError):
    code = "E018"


class UnsupportedFormatError(IngestError):
    code = "E019"


class RecordError(IngestError):
    code = "E020"


class MetadataWarning(LetopisError):
    code = "E030"


class ExtractionError(LetopisError):
    code = "E040"


class StoreError(LetopisError):
    code = "E050"


class NotFoundError(LetopisError):
    code = "E060"


class UsageError(LetopisError):
    code = "E070"
