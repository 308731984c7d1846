"""Transliteration keys: one key per name across scripts, languages and inflections."""
import pytest

from letopis.link.cluster import _actor_overlap
from letopis.link.translit import name_key, person_key
from letopis.model import Actor, Mention, Span


@pytest.mark.parametrize("a,b", [
    ("Назарбаева", "Nursultan Nazarbayev"), ("Назарбаєв", "Назарбаев"), ("Зеленський", "Zelenskyy"),
    ("Тимошенко", "Yulia Tymoshenko"), ("Навальный", "Alexei Navalny"), ("Поздняков", "Pozdnyakov"),
])
def test_translit_person_keys_meet(a, b):
    assert person_key(a) == person_key(b)


@pytest.mark.parametrize("a,b", [("Жанаозене", "Zhanaozen"), ("Жанаозен", "Zhanaozen")])
def test_translit_place_keys_meet(a, b):
    assert name_key(a) == name_key(b)


def test_translit_different_names_stay_apart():
    assert person_key("Назарбаев") != person_key("Токаев")
    assert name_key("Жанаозен") != name_key("Шетпе")


def test_translit_actor_overlap_across_scripts():
    ev = (Span(0, 1, "x"),)
    a = Mention("detention", None, ev, actors=(Actor("Станислав Поздняков", "target", "person"),))
    b = Mention("detention", None, ev, actors=(Actor("Stanislav Pozdnyakov", "target", "person"),))
    c = Mention("detention", None, ev, actors=(Actor("полиция", "perpetrator", "group"),))
    assert _actor_overlap(a, b) and not _actor_overlap(a, c)
