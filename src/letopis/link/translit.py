"""Transliteration keys: one spelling-independent key for a name in Russian, Ukrainian or Latin script.

"Назарбаев", "Назарбаева", "Назарбаєв", "Nazarbayev", "Nazarbaev" → "nazarbaev";
"Жанаозене", "Zhanaozen" → "zhanaozen". The Cyrillic tables follow the common GOST/BGN
practice (х→kh, ж→zh, ц→ts, щ→shch, й→y, є→ye, ї→yi); the key then folds what the
systems write differently (ye/e, iy/y/yi at the end, yu/iu, ya/ia) and the inflected
endings of Russian and Ukrainian surnames and place names (-а, -у, -ом, -е, -ой, -ая).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "ў": "u",
}
# Ukrainian и is the Russian ы: both fold to "y" below, as the Latin spellings do
UK_ONLY = set("єіїґ")

# folds, applied in order, to the Latin spelling of one word
FOLDS = [
    (r"shch", "sh"), (r"kh", "h"), (r"ts", "c"), (r"(?<=[aeiou])y(?=[aeiou])", ""),
    (r"ye", "e"), (r"yu|iu", "u"), (r"ya|ia", "a"), (r"ie", "e"), (r"j", "y"), (r"y(?![aeiou])", "i"),
    (r"(.)\1", r"\1"),
]
# inflected and feminine endings of surnames and towns → the nominative masculine stem
ENDINGS = [
    (r"(iy|yi|yy|ii|iyi)$", "i"), (r"y$", "i"), (r"aya$", "i"), (r"(ova|eva|ina|yna)$", lambda m: m.group(0)[:-1]),
    (r"(ov|ev|in)(a|u|e|om|ym|im|oi|oy|ei|oyu)$", lambda m: m.group(1)),
    (r"(?<=[bcdfgklmnprstvz])(e|u|om|a|i)$", ""),
]
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*", re.U)


def _latin(word: str) -> str:
    w = word.lower().replace("'", "").replace("’", "").replace("ʼ", "")
    if any("а" <= c <= "я" or c in "ёєіїґәғқңөұүһў" for c in w):
        w = "".join(CYR.get(c, c) for c in w)
    w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    return w


@lru_cache(maxsize=100_000)
def word_key(word: str) -> str:
    """One word → its transliteration key ("Назарбаєва" → "nazarbaev")."""
    w = _latin(word).replace("-", "")
    for pat, rep in FOLDS:
        w = re.sub(pat, rep, w)
    if len(w) > 4:
        for pat, rep in ENDINGS:
            new = re.sub(pat, rep, w)
            if new != w:
                w = new
                break
    return w


def words(name: str) -> list[str]:
    return _WORD.findall(name or "")


def name_key(name: str) -> str:
    """Every word of a name, keyed and joined by one space ("Нурсултан Назарбаев" → "nursultan nazarbaev")."""
    return " ".join(k for k in (word_key(w) for w in words(name)) if k)


def person_key(name: str) -> str:
    """A person is known by the key of the surname (the last word): "Nursultan Nazarbayev" → "nazarbaev"."""
    ws = [w for w in words(name) if len(w) > 1]
    return word_key(ws[-1]) if ws else ""


def actor_key(name: str, kind: str) -> str:
    return person_key(name) if kind == "person" else name_key(name)
