"""Actors and their roles, `actors.ner.v1`.

Named people and organisations come from natasha's NER (its models ship inside the
wheel), brought to their normal form ("Назарбаева" → "Назарбаев"); groups
("милиция", "рабочие-нефтяники", "police", "students") from a small lexicon.
The role follows from the event type and from which side of it an actor stands:
state agents are perpetrators of a crackdown, detention or prosecution; named
people in those sentences are their targets; organisations in a protest organise it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..model import Actor, Span

# group actors: pattern -> (normal name, side) where side is 'state' or 'people'
GROUPS: tuple[tuple[str, str, str], ...] = (
    (r"милици\w*|милиционер\w*", "милиция", "state"),
    (r"полици\w*|полицейск\w+", "полиция", "state"),
    (r"ОМОН\w*|омоновц\w*", "ОМОН", "state"),
    (r"силовик\w*", "силовики", "state"),
    (r"войск\w*|военн(?:ые|ых|ыми)\b|солдат\w*", "войска", "state"),
    (r"поліці\w*|поліцейськ\w+", "поліція", "state"),
    (r"міліці\w*", "міліція", "state"),
    (r"правоохоронц\w*|правоохранител\w*", "правоохранительные органы", "state"),
    (r"riot police|police(?:men|man)?|officers", "police", "state"),
    (r"troops|soldiers|army|security forces|military", "security forces", "state"),
    (r"рабочи[ехм]?-нефтяник\w*|нефтяник\w*", "рабочие-нефтяники", "people"),
    (r"рабоч(?:ие|их|им|ими)\b|робітник\w*", "рабочие", "people"),
    (r"шахтер\w*|шахтар\w*|miners", "шахтеры", "people"),
    (r"студент\w*", "студенты", "people"),
    (r"активист\w*|активіст\w*", "активисты", "people"),
    (r"журналист\w*|журналіст\w*", "журналисты", "people"),
    (r"правозащитник\w*|правозахисник\w*", "правозащитники", "people"),
    (r"workers|employees|staff", "workers", "people"),
    (r"students", "students", "people"),
    (r"activists", "activists", "people"),
    (r"journalists|reporters", "journalists", "people"),
    (r"teachers", "teachers", "people"),
    (r"farmers|peasants", "farmers", "people"),
)
_GROUP_RX = [(re.compile(r"(?<!\w)(?:" + p + r")(?!\w)", re.I), n, side) for p, n, side in GROUPS]
STATE_SIDE = {"crackdown": "perpetrator", "detention": "perpetrator", "prosecution": "perpetrator",
              "restriction": "perpetrator", "attack": "other", "concession": "other"}
PEOPLE_SIDE = {"protest": "participant", "strike": "participant", "riot": "participant",
               "crackdown": "target", "detention": "target", "prosecution": "target",
               "attack": "target", "restriction": "target", "concession": "other"}


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    type: str           # PER | ORG | LOC
    normal: str


class RussianNER:
    """natasha's segmenter and NER tagger, built once per process.

    Morphological tagging of whole texts costs as much as NER itself, so names are
    brought to their normal form with pymorphy3 instead, token by token.
    """

    def __init__(self) -> None:
        import natasha  # noqa: F401  (imported first: it patches pymorphy for Python 3.11)
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
        emb = NewsEmbedding()
        self._doc = Doc
        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(emb)

    def entities(self, text: str) -> list[Entity]:
        doc = self._doc(text)
        doc.segment(self.segmenter)
        doc.tag_ner(self.ner)
        out = []
        for sp in doc.spans:
            normal = person_normal(sp.text) if sp.type == "PER" else sp.text
            out.append(Entity(sp.start, sp.stop, sp.type, normal))
        return out


_NAME_TAGS = ("Name", "Surn", "Patr")


def person_normal(name: str) -> str:
    """'Назарбаева' → 'Назарбаев', 'Марии Алёхиной' → 'Мария Алёхина' (gender kept)."""
    from .morph import analyzer
    words = []
    for w in name.split():
        if not re.fullmatch(r"[А-Яа-яЁёІіЇїЄєҐґ'’-]+", w) or len(w) < 3:
            words.append(w)
            continue
        lang = "uk" if re.search(r"[іїєґІЇЄҐ]", w) else "ru"
        parses = [p for p in analyzer(lang).parse(w) if p.tag.grammemes & set(_NAME_TAGS)]
        form = None
        if parses:
            p = parses[0]
            inf = p.inflect({"nomn"}) if "nomn" not in p.tag.grammemes else p
            form = inf.word if inf else p.normal_form
        words.append(_recase(form, w) if form else w)
    return " ".join(words)


def _recase(form: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return form.upper()
    return form[:1].upper() + form[1:] if like[:1].isupper() else form


@cache
def russian_ner() -> RussianNER:
    return RussianNER()


def group_actors(text: str, a: int, b: int, event_type: str) -> list[Actor]:
    out = []
    for rx, name, side in _GROUP_RX:
        m = rx.search(text, a, b)
        if not m:
            continue
        role = (STATE_SIDE if side == "state" else PEOPLE_SIDE).get(event_type, "other")
        out.append(Actor(name, role, "group", Span(m.start(), m.end(), text[m.start():m.end()])))
    return out


def named_actors(entities: list[Entity], text: str, offset: int, event_type: str) -> list[Actor]:
    out = []
    for e in entities:
        if e.type == "LOC":
            continue
        if e.type == "ORG":
            role = {"protest": "organizer", "strike": "organizer"}.get(event_type, "other")
            kind = "organization"
        else:
            role = {"protest": "participant", "strike": "participant", "detention": "target",
                    "prosecution": "target", "attack": "target", "crackdown": "target",
                    "concession": "other"}.get(event_type, "other")
            kind = "person"
        s, t = offset + e.start, offset + e.end
        out.append(Actor(e.normal, role, kind, Span(s, t, text[s:t])))
    return out


_EN_NAME = re.compile(r"(?<![\w.])([A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2})(?!\w)")
_EN_NOT_NAME = frozenset("""
January February March April May June July August September October November December Monday Tuesday
Wednesday Thursday Friday Saturday Sunday The A An In On At Of For And But After Before During Since Except
Police Court Criminal Code Article Square Street Avenue Park Bridge Red Party Union Ministry Minister
President Prime Government Parliament Council Committee Assembly Front Movement Federation Republic
Case City Moscow Kyiv Kiev Minsk Russia Russian Ukraine Ukrainian Belarus Kazakhstan Georgia Silk Company
Human Rights Watch Amnesty International News Agency Press Reuters Associated University College School
State National Federal Central Regional Interior Security Service Guard Army Forces Square North South
East West New Old Saint St Mr Mrs Ms Dr General Colonel Captain Major Lieutenant
""".split())


_CYR_NAME = re.compile(r"(?<![\w.])([А-ЯЁІЇЄҐ][а-яёіїєґ'’]+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+)?\s+[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+)?)(?![\w])")


def cyrillic_people(text: str, a: int, b: int, event_type: str) -> list[Actor]:
    """First name and surname pairs the dictionary knows as such ("Ірину Лозову" → "Ірина Лозова"),
    for texts where no NER model fits (Ukrainian)."""
    from .morph import analyzer
    role = {"protest": "participant", "strike": "participant", "detention": "target",
            "prosecution": "target", "attack": "target", "crackdown": "target"}.get(event_type, "other")
    out = []
    for m in _CYR_NAME.finditer(text, a, b):
        first = m.group(1).split()[0].lower()
        lang = "uk" if re.search(r"[іїєґ]", m.group(1).lower()) else "ru"
        if not any("Name" in p.tag.grammemes for p in analyzer(lang).parse(first)[:3]):
            continue
        s, e = m.start(1), m.end(1)
        out.append(Actor(person_normal(m.group(1)), role, "person", Span(s, e, text[s:e])))
    return out


def english_people(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """Capitalised two- or three-word names in an English sentence ("Stanislav Pozdnyakov")."""
    chunk = text[a:b]
    letters = sum(ch.isalpha() for ch in chunk)
    if not letters or sum(ch.isupper() for ch in chunk) < letters * 0.01:
        return []            # an all-lower-case text gives no capitals to go by
    out = []
    for m in _EN_NAME.finditer(text, a, b):
        words = m.group(1).split()
        if any(w in _EN_NOT_NAME for w in words):
            continue
        out.append((m.start(1), m.end(1), m.group(1)))
    return out


def english_actors(text: str, a: int, b: int, event_type: str) -> list[Actor]:
    role = {"protest": "participant", "strike": "participant", "detention": "target",
            "prosecution": "target", "attack": "target", "crackdown": "target"}.get(event_type, "other")
    return [Actor(name, role, "person", Span(s, e, text[s:e])) for s, e, name in english_people(text, a, b)]


SIGNATORY_HEAD = re.compile(
    r"^[ \t]*(?:участники (?:пикета|акции|митинга)|подписали|подписи|учасники (?:пікету|акції|мітингу)|підписали|signed|signatories|signed by)[^\n]{0,40}:[ \t]*$",
    re.I | re.M)


def signatories(text: str, start: int = 0) -> list[tuple[int, list[Actor]]]:
    """Organisations listed one per line under a heading like "Участники пикета:"."""
    out = []
    for h in SIGNATORY_HEAD.finditer(text, start):
        orgs: list[Actor] = []
        for line in re.finditer(r"[^\n]+", text[h.end():h.end() + 4000]):
            s, e = h.end() + line.start(), h.end() + line.end()
            raw = text[s:e].strip()
            if not raw:
                continue
            if len(raw) > 150 or raw.endswith((".", "!", "?")) and len(raw) > 60:
                break
            a = s + (len(text[s:e]) - len(text[s:e].lstrip()))
            b = a + len(raw)
            name = re.sub(r"\s*\([^)]*\)\s*$", "", raw).strip(" -–—•*")
            orgs.append(Actor(name, "organizer", "organization", Span(a, b, text[a:b])))
        if orgs:
            out.append((h.start(), orgs))
    return out
