"""YAML front matter: split it off, parse it, and say what went wrong without losing the text.

The document text is never cut: evidence offsets index the whole file, front
matter included. Front matter only feeds the metadata columns and ``meta``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

_OPEN = re.compile(r"\A\ufeff?---[ \t]*\n")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # the C parser when PyYAML has it
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    meta: dict = field(default_factory=dict)
    body_start: int = 0            # offset in the text where the body begins
    error: str | None = None       # why the front matter could not be read


def _plain(value: object) -> object:
    """YAML values → JSON-able values (dates as ISO strings)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def read_front_matter(text: str) -> FrontMatter:
    """Find and parse a leading ``---`` YAML block."""
    head = _OPEN.match(text)
    if not head:
        return FrontMatter()
    close = _CLOSE.search(text, head.end())
    if not close:
        return FrontMatter(error="front matter opened with '---' is never closed; text kept as it is")
    body_start = close.end() + (1 if text[close.end():close.end() + 1] == "\n" else 0)
    block = text[head.end():close.start()]
    try:
        data = yaml.load(block, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        return FrontMatter(body_start=body_start,
                           error=f"front matter is not valid YAML{where}: {problem}")
    if data is None:
        return FrontMatter(body_start=body_start)
    if not isinstance(data, dict):
        return FrontMatter(body_start=body_start,
                           error=f"front matter is a {type(data).__name__}, not a mapping of keys")
    return FrontMatter(meta={str(k): _plain(v) for k, v in data.items()}, body_start=body_start)
