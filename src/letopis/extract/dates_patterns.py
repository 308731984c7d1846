"""Lexicons and compiled patterns for ``dates.rules.v1``.

The words live in ``letopis/data/dates_*.yaml`` (months, weekdays, relative
expressions); this module validates them when loaded and turns them into regular
expressions, once per process (``patterns()`` is cached; nothing runs at import).
Word lists become trie-shaped alternations so a scan stays linear and fast.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from letopis.errors import ExtractionError

LANGS = ("ru", "uk", "en")
APOSTROPHES = "'’ʼ`"
RELATIVE_ACTIONS = ("days", "week", "weekend", "month", "year")
UNIT_NAMES = ("day", "week", "month", "year")


def _load(name: str) -> dict:
    try:
        raw = resources.files("letopis.data").joinpath(name).read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractionError(f"date lexicon {name} cannot be read: {exc}",
                              hint="reinstall letopis or fix the YAML") from exc
    if not isinstance(data, dict):
        raise ExtractionError(f"date lexicon {name} is not a mapping", hint="see the file's header")
    return data


def _bad(name: str, what: str) -> ExtractionError:
    return ExtractionError(f"date lexicon {name}: {what}", hint="fix the data file; see its header comment")


def _words(name: str, value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise _bad(name, f"{where} must be a list of non-empty strings")
    return [w.strip().lower() for w in value]


def _numbered(name: str, data: dict, key: str, keys: range, fields: tuple[str, ...],
              allowed: tuple[str, ...] = ("ru", "uk", "en", "abbr")) -> dict[int, list[str]]:
    table = data.get(key)
    if not isinstance(table, dict) or set(table) != set(keys):
        raise _bad(name, f"'{key}' must have exactly the keys {keys.start}..{keys.stop - 1}")
    out: dict[int, list[str]] = {}
    for k, entry in table.items():
        if not isinstance(entry, dict) or not set(entry) <= set(allowed):
            raise _bad(name, f"{key}.{k} may only have the fields {allowed}")
        out[k] = [w for f in fields for w in _words(name, entry.get(f, []), f"{key}.{k}.{f}")]
    return out


def trie_regex(words) -> str:
    """An alternation of ``words`` shaped as a trie: 'год', 'года' -> 'год(?:а)?'.
    A space matches any whitespace, an apostrophe any apostrophe, a final '*' any word ending."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def atom(ch: str) -> str:
        if ch == " ":
            return r"\s+"
        if ch in APOSTROPHES:
            return "[" + re.escape(APOSTROPHES) + "]"
        if ch == "*":
            return r"\w*"
        return re.escape(ch)

    def build(node: dict) -> str:
        optional = "" in node
        branches = [atom(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if optional:
            return "(?:" + body + ")?" if len(branches) > 1 or len(branches[0]) > 1 else body + "?"
        return body

    return build(trie)


@dataclass(frozen=True, slots=True)
class Lexicon:
    month_of: dict[str, int]           # every month form, abbreviations included -> 1..12
    month_full: tuple[str, ...]
    month_abbr: tuple[str, ...]
    month_en: tuple[str, ...]          # English full names and abbreviations
    weekday_of: dict[str, int]         # form -> 0..6 (Monday = 0)
    weekday_preps: tuple[str, ...]
    relative: tuple[tuple[str, str, int], ...]   # (phrase, action, amount)
    year_words: tuple[str, ...]
    unit_of: dict[str, str]            # unit word -> day | week | month | year
    ago_words: tuple[str, ...]
    duration_cues: tuple[str, ...]
    number_of: dict[str, int]
    month_preps: tuple[str, ...]
    plural_units: frozenset[str]
    duration_modifiers: tuple[str, ...]
    year_preps: tuple[str, ...]
    range_from: frozenset[str]
    range_to: tuple[str, ...]
    day_parts: tuple[str, ...]


def _norm(word: str) -> str:
    for a in APOSTROPHES[1:]:
        word = word.replace(a, "'")
    return word


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    name = "dates_months.yaml"
    months = _load(name)
    full = _numbered(name, months, "months", range(1, 13), ("ru", "uk", "en"))
    abbr = _numbered(name, months, "months", range(1, 13), ("abbr",))
    en = _numbered(name, months, "months", range(1, 13), ("en",))
    name = "dates_weekdays.yaml"
    wd = _load(name)
    weekdays = _numbered(name, wd, "weekdays", range(0, 7), LANGS, LANGS)
    preps = _words(name, wd.get("prepositions"), "prepositions")
    name = "dates_relative.yaml"
    rel = _load(name)
    entries = rel.get("relative")
    if not isinstance(entries, list) or not entries:
        raise _bad(name, "'relative' must be a non-empty list")
    relative = []
    for i, entry in enumerate(entries):
        actions = [a for a in RELATIVE_ACTIONS if a in entry] if isinstance(entry, dict) else []
        if len(actions) != 1 or set(entry) != {actions[0], "phrases"} or not isinstance(entry[actions[0]], int):
            raise _bad(name, f"relative[{i}] needs 'phrases' and exactly one integer of {RELATIVE_ACTIONS}")
        relative += [(p, actions[0], entry[actions[0]]) for p in _words(name, entry["phrases"], f"relative[{i}]")]
    units = rel.get("units")
    if not isinstance(units, dict) or set(units) != set(UNIT_NAMES):
        raise _bad(name, f"'units' must have exactly {UNIT_NAMES}")
    numbers = rel.get("numbers")
    if not isinstance(numbers, dict) or not all(isinstance(k, int) and k > 0 for k in numbers):
        raise _bad(name, "'numbers' must map positive integers to word lists")
    return Lexicon(
        month_of={_norm(w): m for table in (full, abbr) for m, ws in table.items() for w in ws},
        month_full=tuple(w for ws in full.values() for w in ws),
        month_abbr=tuple(w for ws in abbr.values() for w in ws),
        month_en=tuple(w for m in en for w in en[m] + [a for a in abbr[m] if a.isascii()]),
        weekday_of={_norm(w): d for d, ws in weekdays.items() for w in ws},
        weekday_preps=tuple(preps),
        relative=tuple(relative),
        year_words=tuple(_words(name, rel.get("year_words"), "year_words")),
        unit_of={_norm(w): u for u in UNIT_NAMES for w in _words(name, units[u], f"units.{u}")},
        ago_words=tuple(_words(name, rel.get("ago_words"), "ago_words")),
        duration_cues=tuple(_words(name, rel.get("duration_cues"), "duration_cues")),
        number_of={_norm(w): n for n, ws in numbers.items() for w in _words(name, ws, f"numbers.{n}")},
        month_preps=tuple(_words("dates_months.yaml", months.get("prepositions"), "prepositions")),
        plural_units=frozenset(_words(name, rel.get("plural_units"), "plural_units")),
        duration_modifiers=tuple(_words(name, rel.get("duration_modifiers"), "duration_modifiers")),
        year_preps=tuple(_words(name, rel.get("year_prepositions"), "year_prepositions")),
        range_from=frozenset(_words(name, rel.get("range_from"), "range_from")),
        range_to=tuple(_words(name, rel.get("range_to"), "range_to")),
        day_parts=tuple(_words(name, rel.get("day_parts"), "day_parts")),
    )


L = r"(?<!\w)"          # a word starts here
R = r"(?!\w)"           # a word ends here
DAY_SUFFIX = r"(?:-?(?:го|ого|е|м|th|st|nd|rd)(?!\w))?"
DECADE = r"(?![-–‐]?(?:е|х|ые|ых|ми|ті|тих|s|'s)(?!\w))"   # "1990-е", "1990s": not a year


def _alt(words) -> str:
    return "(?:" + trie_regex(words) + ")"


@dataclass(frozen=True, slots=True)
class Patterns:
    lex: Lexicon
    scanners: tuple[tuple[str, re.Pattern], ...]   # (atom kind, pattern), tried in this order
    trigger: re.Pattern         # a digit or a lexicon word: every candidate holds one
    from_before: re.Pattern     # "с ", "from " right before a date
    year_prep_before: re.Pattern  # "в ", "in ", "since " right before a year
    ago_before: re.Pattern      # "8 дней " right before "назад"
    range_gap: re.Pattern       # the text between the two ends of a range
    fuse_gap: re.Pattern        # between a weekday and its explicit date
    sentence_end: re.Pattern


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    lex = lexicon()
    flags = re.IGNORECASE      # for the small patterns run on the original text
    full = _alt(lex.month_full)
    abbr = _alt(lex.month_abbr)

    def month(g: str) -> str:
        return rf"(?P<{g}>{full}{R}|{abbr}\.?{R})"

    def day(g: str, strict: bool = True) -> str:
        edge = r"(?<![\w.,:/-])" if strict else r"(?<![\w.,:/])"
        return rf"{edge}(?P<{g}>[0-3]?\d)(?!\d){DAY_SUFFIX}"

    def year(g: str) -> str:
        return rf"(?P<{g}>1[89]\d\d|20\d\d|[12]\d{{4}})(?!\d){DECADE}(?:-(?:м|й|го|ом)(?!\w))?"

    short_yw = [w for w in lex.year_words if len(w) <= 2]
    yw = rf"(?P<yw>\s*(?:{_alt(short_yw)}\.|{_alt(lex.year_words)}{R}))"
    year_rel = [p for p, a, _ in lex.relative if a == "year" and p.split()[0] not in {"в", "у", "the"}
                and not p.endswith("'s")]
    yrel = rf"(?P<yrel>{_alt(year_rel)}){R}"
    year_tail = rf"(?:,?\s+(?:{year('y')}{yw}?|{yrel}))"
    en_month = rf"(?P<m>{_alt(lex.month_en)})\.?{R}"
    number = rf"(?:\d{{1,3}}(?!\d)|{_alt(lex.number_of)}{R})"
    units = rf"(?P<u>{_alt(lex.unit_of)}){R}"
    to = _alt(lex.range_to)
    scanners = [
        ("drange", rf"{L}{day('d')}\s*(?:[-–—]\s*|\s+(?P<c>{to})\s+)"
                   rf"{day('d2', False)}\s+(?:of\s+)?{month('m')}{year_tail}?"),
        ("drange", rf"{L}{en_month}\s+{day('d')}\s*(?:[-–—]\s*|\s+(?P<c>to|and|through|until|till)\s+)"
                   rf"{day('d2', False)}(?:,?\s+{year('y')})?{R}"),
        ("date", rf"(?<![\w.-]){year('y')}-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"),
        ("num", rf"(?<![\w.,/-])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{{5}}|\d{{4}}|\d{{2}})"
                r"(?!\d|[.,/-]\d)"),
        ("date", rf"{L}{day('d')}\s+(?:of\s+)?{month('m')}{year_tail}?"),
        ("date", rf"{L}{en_month}\s+{day('d')}(?:,?\s+{year('y')})?{R}"),
        ("month", rf"{L}{month('m')},?\s+(?:of\s+)?(?:{year('y')}{yw}?|{yrel})"),
        ("month", rf"{L}(?P<p>{_alt(lex.month_preps)})(?:\s+|(?<=-))(?P<m>{full}){R}(?!\s*\d)"),
        ("yrange", rf"{L}{year('y')}\s*[-–—]\s*{year('y2')}{yw}?"),
        ("year", rf"{L}{year('y')}{yw}?"),
        ("weekday", rf"{L}(?P<p>{_alt(lex.weekday_preps)})\s+(?P<wd>{_alt(lex.weekday_of)}){R}"
                    rf"(?:\s+(?P<part>{_alt(lex.day_parts)}){R})?"),
        ("rel", rf"{L}(?P<rel>{_alt(p for p, _, _ in lex.relative)}){R}"),
        ("ago", rf"{L}(?P<ago>{_alt(lex.ago_words)}){R}"),
        ("dur", rf"{L}(?P<cue>{_alt(lex.duration_cues)})\s+(?:{_alt(lex.duration_modifiers)}\s+)?"
                rf"(?:(?P<n>{number})\s+)?{units}"),
        ("dur", rf"{L}(?P<n>\d{{1,3}}|{_alt(lex.number_of)})(?:[-‐]?(?P<u>месячн|дневн|недельн|місячн|денн|тижнев)\w*"
                rf"|-(?P<u2>day|week|month|year)(?:-long)?{R}(?!-old))"),
    ]
    compiled = [(kind, re.compile(p)) for kind, p in scanners]       # run over lower-cased text
    names = "|".join(d.capitalize() for d in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                              "saturday", "sunday"))
    en_parts = "|".join(p for p in lex.day_parts if p.isascii())
    compiled.append(("Weekday", re.compile(rf"{L}(?<!Black )(?<!Good )(?<!Holy )(?P<wd>{names}){R}(?:\s+(?P<part>{en_parts}){R})?")))
    def key_word(phrase: str) -> str:
        return max(phrase.replace("*", "").split(), key=len)

    keys = {*lex.month_of, *lex.weekday_of, *lex.unit_of, *lex.ago_words,
            *(key_word(p) for p, _, _ in lex.relative), *(key_word(c) for c in lex.duration_cues)}
    stems = {k for k in keys if len(k) >= 4}
    words = keys - stems
    trigger = rf"\d|{L}(?:{_alt(words)}{R}|{_alt(stems)})"
    return Patterns(
        lex=lex,
        scanners=tuple(compiled),
        trigger=re.compile(trigger),
        from_before=re.compile(rf"(?<!\w)(?P<p>{_alt(lex.range_from)})\s+$", flags),
        year_prep_before=re.compile(rf"(?<!\w)(?P<p>{_alt(lex.year_preps)})(?:\s+|(?<=-))$", flags),
        ago_before=re.compile(rf"(?<!\w)(?:(?P<n>{number})\s+)?{units}\s+$", flags),
        range_gap=re.compile(rf"\s*(?:{to})\s*", flags),
        fuse_gap=re.compile(r"[\s,(—–-]*"),
        sentence_end=re.compile(r"[.!?…](?=\s+[\"«“(]?[A-ZА-ЯЁІЇЄҐ])|\n\s*\n|\n(?=\s*[-*#•])"),
    )
