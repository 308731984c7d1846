"""Bytes → text: UTF-8 first, then a detected legacy encoding, else a clear error.

Russian and Ukrainian archives often hold cp1251 or koi8-r files; detectors
confuse the two on short texts (both decode any byte), so when the guess is a
Cyrillic encoding we re-score the Cyrillic candidates by how Russian-like the
result reads: lowercase letters dominate running text, and the commonest
letters are vowels and н, т, с, р.

Text is returned as Python's text mode would read it (universal newlines:
``\\r\\n`` and ``\\r`` become ``\\n``), so offsets agree with
``open(path, encoding="utf-8").read()``. A UTF-8 BOM is kept, as that call keeps it.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import BinaryContentError, DecodeError, EmptyDocumentError

CYRILLIC_ENCODINGS = ("cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5")
COMMON_ENCODINGS = {*CYRILLIC_ENCODINGS, "cp1125", "cp1250", "cp1252", "cp1253", "cp1254", "cp1257",
                    "latin_1", "iso8859_2", "iso8859_15", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr"}
_COMMON_CYRILLIC = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъёіїєґ")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
MAX_CONTROL_RATIO = 0.02
CYRILLIC_PLAUSIBLE = 1.4    # cyrillic_score of real prose is ~1.7-1.9; of random bytes ~1.0
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_CONTROL_BYTES = bytes([*range(1, 9), *range(14, 27), *range(28, 32), 127])


def universal_newlines(text: str) -> str:
    """What text-mode reading does to line ends."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def control_ratio(text: str) -> float:
    """Share of characters that no text holds: C0/C1 controls other than whitespace, U+FFFD."""
    if not text:
        return 0.0
    return len(_CONTROL_CHARS.findall(text)) / len(text)


def _check_text(text: str, name: str) -> str:
    if "\x00" in text or control_ratio(text) > MAX_CONTROL_RATIO:
        raise BinaryContentError(
            f"{name} holds binary data, not text (NUL bytes or control characters)",
            hint="is it really a text file? rename it or leave it out")
    return text


def cyrillic_score(text: str) -> float:
    """How much ``text`` reads like Cyrillic running text: 0 (not at all) .. ~2."""
    letters = [c for c in text if c.isalpha()]
    cyr = [c for c in letters if "\u0400" <= c <= "\u04ff"]
    if not cyr:
        return 0.0
    lower = sum(1 for c in cyr if c.islower()) / len(cyr)
    common = sum(1 for c in cyr if c.lower() in _COMMON_CYRILLIC) / len(cyr)
    return (len(cyr) / len(letters)) * (lower + common)


def _plausible(text: str) -> float:
    """Share of characters in the scripts our reports use (Latin, Cyrillic, punctuation)."""
    if not text:
        return 0.0
    ok = sum(1 for c in text if c < "\u0250" or "\u0400" <= c <= "\u04ff" or "\u2000" <= c <= "\u206f")
    return ok / len(text)


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without a BOM: the byte order that gives plausible text wins."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text) > 0.95 and control_ratio(text) <= MAX_CONTROL_RATIO:
            return text
    return None


def _detect_legacy(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) for a non-UTF-8 text, or None when no reading is plausible."""
    from charset_normalizer import from_bytes
    best = from_bytes(raw).best()
    guess = (str(best), best.encoding) if best is not None else None
    cyrillic = []
    for enc in CYRILLIC_ENCODINGS:
        try:
            cyrillic.append((raw.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    top = max(cyrillic, key=lambda c: cyrillic_score(c[0]), default=None)
    top_score = cyrillic_score(top[0]) if top else 0.0
    if top is not None and top_score >= CYRILLIC_PLAUSIBLE and looks_like_text(top[0]):
        # running Cyrillic text: trust the best Cyrillic reading unless the guess reads as well
        if guess is None or top_score > cyrillic_score(guess[0]) + 0.1:
            return top
    if guess is not None and guess[1] in COMMON_ENCODINGS and looks_like_text(guess[0]):
        return guess
    for enc in ("cp1252", "latin_1"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return text, enc
    if guess is not None and looks_like_text(guess[0]):
        return guess
    return None


def looks_like_text(text: str) -> bool:
    """Letters, digits, spaces and punctuation, with spaces between words: what prose is made of."""
    if not text:
        return False
    usual = sum(1 for c in text if c.isalnum() or c.isspace() or unicodedata.category(c)[0] == "P")
    spaces = sum(1 for c in text if c.isspace())
    return usual / len(text) >= 0.85 and (len(text) < 40 or spaces / len(text) >= 0.02)


def decode_bytes(raw: bytes, name: str = "the file") -> tuple[str, str]:
    """Decode ``raw`` → (text in text-mode form, encoding). Raises E010/E011/E012."""
    if not raw.strip(b" \t\r\n\x00") or raw in (codecs.BOM_UTF8,):
        raise EmptyDocumentError(f"{name} is empty", hint="nothing to store")
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError as e:
                raise DecodeError(f"{name} starts with a {enc} byte-order mark but is not {enc}: {e}") from e
            return universal_newlines(_check_text(text, name)), enc
    if b"\x00" not in raw:
        try:
            text = raw.decode("utf-8")
            return universal_newlines(_check_text(text, name)), "utf-8"
        except UnicodeDecodeError:
            pass
    else:
        text16 = _utf16_without_bom(raw)
        if text16 is not None:
            return universal_newlines(_check_text(text16, name)), "utf-16"
        raise BinaryContentError(f"{name} holds binary data, not text (NUL bytes)",
                                 hint="is it really a text file? rename it or leave it out")
    controls = sum(raw.count(bytes([b])) for b in _CONTROL_BYTES)
    if controls > MAX_CONTROL_RATIO * len(raw):
        raise BinaryContentError(f"{name} holds binary data, not text (control bytes)",
                                 hint="is it really a text file? rename it or leave it out")
    found = _detect_legacy(raw)
    if found is None:
        raise DecodeError(f"{name} is not UTF-8, and no encoding we know reads it as text",
                          hint="convert it to UTF-8, e.g. iconv -f <encoding> -t utf-8")
    text, enc = found
    if control_ratio(text) > MAX_CONTROL_RATIO:
        raise BinaryContentError(f"{name} holds binary data, not text (control characters)",
                                 hint="is it really a text file? rename it or leave it out")
    return universal_newlines(text), enc
