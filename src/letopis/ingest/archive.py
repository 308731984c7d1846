"""News-archive exports: JSON Lines and CSV, one document per record, read as a stream.

The text, title, date and url fields are found by common names or given on the
command line. A record's identity is the sha256 of its canonical JSON; its name
is ``<file name>#<id>`` (the record's own id when it has a unique one, else its
line or row number). The size limit applies to each record, not to the file.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from functools import partial
from typing import Iterable, Iterator

from ..errors import RecordError, TooLargeError, UnreadableFileError
from .base import FieldNames, Item, Parsed, ReadContext, Reader, check_regular, read_head
from .decoding import decode_bytes
from .metadata import URL_KEYS, columns_from_meta, first_key

TEXT_KEYS = ("text", "body", "content", "article", "full_text", "fulltext", "article_text",
             "maintext", "notes", "description", "summary", "текст")
ID_KEYS = ("id", "_id", "uuid", "guid", "record_id", "doc_id", "article_id")


def canonical_json(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def parse_record(record: dict, fmt: str, name: str, fields: FieldNames) -> Parsed:
    tk = first_key(record, TEXT_KEYS, fields.text)
    text = record.get(tk) if tk else None
    if not isinstance(text, str) or not text.strip():
        looked = fields.text or ", ".join(TEXT_KEYS)
        raise RecordError(f"{name}: record has no text (looked for field {looked})",
                          hint="name the text field with --text-field")
    meta = {k: v for k, v in record.items() if k != tk}
    cols, problems = columns_from_meta(meta, title_key=fields.title, date_key=fields.date)
    uk = first_key(meta, URL_KEYS, fields.url)
    if uk and uk != "url":
        meta.setdefault("url", meta[uk])
    meta["text_field"] = tk
    return Parsed(text=text, format=fmt, title=cols["title"], date=cols["date"],
                  language=cols["language"], access=cols["access"], meta=meta,
                  meta_error="; ".join(problems) or None)


def record_items(records: Iterable[tuple[int, object, int, bytes]], fmt: str, file_name: str,
                 ctx: ReadContext) -> Iterator[Item]:
    """(number, record or error, size, raw line) → items, with stable unique keys."""
    seen: set[str] = set()
    for number, record, size, line in records:
        key = str(number)
        if isinstance(record, dict):
            ik = first_key(record, ID_KEYS)
            rid = str(record[ik]).strip() if ik else ""
            if rid and rid not in seen and "#" not in rid:
                key = rid
        if key in seen:
            key = f"{number}"
        seen.add(key)
        name = f"{file_name}#{key}"
        if isinstance(record, Exception):
            yield Item(key=f"#{key}", name=name, raw=line, format=fmt, error=record)
            continue
        raw = canonical_json(record)
        if size > ctx.max_bytes:
            err = TooLargeError(f"{name} is {size:,} bytes, over the limit of {ctx.max_bytes:,}",
                                hint="raise it with --max-bytes or the setting max_file_bytes")
            yield Item(key=f"#{key}", name=name, raw=raw, format=fmt, error=err)
            continue
        yield Item(key=f"#{key}", name=name, raw=raw, format=fmt,
                   parse=partial(parse_record, record, fmt, name, ctx.fields))


def _open(path: str):
    check_regular(path)
    try:
        return open(path, "rb")
    except OSError as e:
        raise UnreadableFileError(f"{path}: cannot be opened: {e.strerror}") from e


class JsonlReader(Reader):
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")

    def _records(self, path: str, name: str) -> Iterator[tuple[int, object, int, bytes]]:
        with _open(path) as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
                except (UnicodeDecodeError, ValueError) as e:
                    yield number, RecordError(f"{name} line {number} is not a JSON object: {e}"), len(line), line
                    continue
                if not isinstance(rec, dict):
                    rec = RecordError(f"{name} line {number} is a JSON {type(rec).__name__}, not an object")
                yield number, rec, len(line), line

    def items(self, path: str, name: str, ctx: ReadContext) -> Iterator[Item]:
        yield from record_items(self._records(path, name), "jsonl", name, ctx)


def _sniff_encoding(head: bytes, name: str) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    return decode_bytes(head, name)[1]


class CsvReader(Reader):
    name = "csv"
    extensions = (".csv", ".tsv")

    def _records(self, path: str, name: str, ctx: ReadContext) -> Iterator[tuple[int, object, int, bytes]]:
        head = read_head(path)
        encoding = _sniff_encoding(head, name)
        csv.field_size_limit(max(ctx.max_bytes, 1 << 20))
        with _open(path) as f:
            stream = io.TextIOWrapper(f, encoding=encoding, newline="")
            sample = stream.read(16384)
            stream.seek(0)
            if path.lower().endswith(".tsv"):
                dialect = csv.excel_tab
            else:
                try:
                    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
                except csv.Error:
                    dialect = csv.excel
            reader = csv.DictReader(stream, dialect=dialect)
            try:
                for number, row in enumerate(reader, 1):
                    rec = {k: v for k, v in row.items() if k is not None}
                    size = sum(len(v or "") for v in rec.values())
                    yield number, rec, size, b""
            except (UnicodeDecodeError, csv.Error) as e:
                raise RecordError(f"{name}: cannot read on past row {reader.line_num}: {e}") from e

    def items(self, path: str, name: str, ctx: ReadContext) -> Iterator[Item]:
        yield from record_items(self._records(path, name, ctx), "csv", name, ctx)


