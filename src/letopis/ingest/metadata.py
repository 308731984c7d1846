"""Metadata keys → document columns: title, date, language, access, shared by all readers."""
from __future__ import annotations

from ..model import ACCESS_LEVELS
from .dates import normalize_date

TITLE_KEYS = ("title", "headline", "заголовок")
DATE_KEYS = ("date", "published", "publish_date", "published_at", "pubdate", "date_published",
             "publication_date", "datetime", "дата")
URL_KEYS = ("url", "link", "href", "source_url")
LANGUAGE_KEYS = ("language", "lang")
_LANG_NAMES = {"russian": "ru", "русский": "ru", "ukrainian": "uk", "українська": "uk",
               "english": "en", "kazakh": "kk", "қазақ": "kk", "belarusian": "be", "беларуская": "be"}


def first_key(meta: dict, keys: tuple[str, ...], given: str | None = None) -> str | None:
    """The record key to use: the given one (case-insensitive) or the first common name present."""
    lower = {k.lower(): k for k in meta}
    if given:
        return lower.get(given.lower())
    for k in keys:
        if k in lower and meta[lower[k]] not in (None, ""):
            return lower[k]
    return None


def language_code(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip().lower()
    if v in _LANG_NAMES:
        return _LANG_NAMES[v]
    v = v.replace("_", "-").split("-")[0]
    return v if 2 <= len(v) <= 3 and v.isalpha() else None


def columns_from_meta(meta: dict, *, title_key: str | None = None,
                      date_key: str | None = None) -> tuple[dict, list[str]]:
    """(title, date, language, access) from metadata, and the problems found in it."""
    problems: list[str] = []
    out: dict = {"title": None, "date": None, "language": None, "access": None}
    k = first_key(meta, TITLE_KEYS, title_key)
    if k is not None and meta[k] not in (None, ""):
        out["title"] = str(meta[k]).strip() or None
    k = first_key(meta, DATE_KEYS, date_key)
    if k is not None and meta[k] not in (None, ""):
        out["date"] = normalize_date(meta[k])
        if out["date"] is None:
            problems.append(f"{k} {meta[k]!r} is not a date; the document date is left empty")
    k = first_key(meta, LANGUAGE_KEYS)
    if k is not None and meta[k] not in (None, ""):
        out["language"] = language_code(meta[k])
        if out["language"] is None:
            problems.append(f"language {meta[k]!r} is not a language code; detected instead")
    if "access" in meta and meta["access"] not in (None, ""):
        level = str(meta["access"]).strip().lower()
        if level in ACCESS_LEVELS:
            out["access"] = level
        else:
            out["access"] = "confidential"
            problems.append(f"access {meta['access']!r} is not one of {', '.join(ACCESS_LEVELS)}; "
                            "stored as confidential")
    return out, problems
