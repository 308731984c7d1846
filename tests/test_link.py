"""Linking: the same event across documents and languages merges; near misses stay apart."""
from letopis.link.cluster import Item, cluster, natural_key
from letopis.link.reconcile import SourcedMention, canonical_view, reconcile_figures
from letopis.model import DateValue, Figure, Mention, Place, Span

ZH = Place("Жанаозен", "Zhanaozen", "KZ", 43.34, 52.86, "city", 609655)
ZH_EN = Place("Zhanaozen", "Zhanaozen", "KZ", 43.34, 52.86, "city", 609655)
SHETPE = Place("Шетпе", "Shetpe", "KZ", 44.17, 52.12, "city", 609123)
KYIV = Place("Київ", "Kyiv", "UA", 50.45, 30.52, "city", 703448)
KZ = Place("Казахстан", "Kazakhstan", "KZ", 48.0, 68.0, "country", 1522867)


def m(type_, date, place, figures=(), start=0):
    ev = (Span(start, start + 5, "x" * 5),)
    return Mention(type_, None, ev, DateValue(date) if date else None, place, tuple(figures))


def fig(kind, low, high, text="t", attribution="unknown"):
    return Figure(kind, low, high, Span(0, len(text), text), attribution)


def items(*pairs):
    return [Item(natural_key(doc, mm), doc, mm) for doc, mm in pairs]


def groups(result):
    return sorted(sorted(it.doc for it in g) for g in result.values())


def test_link_same_event_three_languages_merges():
    its = items(("ru.md", m("crackdown", "2011-12-16", ZH)),
                ("uk.md", m("crackdown", "2011-12-16", ZH)),
                ("en.md", m("crackdown", "2011-12", ZH_EN)))
    assert groups(cluster(its)) == [["en.md", "ru.md", "uk.md"]]


def test_link_near_misses_stay_apart():
    its = items(("a.md", m("crackdown", "2011-12-16", ZH)),
                ("b.md", m("crackdown", "2011-12-17", SHETPE)),       # next day, another town
                ("c.md", m("protest", "2013-12-17", KYIV)),           # the anniversary picket
                ("d.md", m("crackdown", "2013-12-16", ZH)))           # same place, two years on
    assert groups(cluster(its)) == [["a.md"], ["b.md"], ["c.md"], ["d.md"]]


def test_link_never_merges_two_mentions_of_one_document():
    its = items(("a.md", m("detention", "2013-01-18", ZH, start=10)),
                ("a.md", m("detention", "2013-01-18", ZH, start=500)))
    assert len(cluster(its)) == 2


def test_link_country_level_mention_joins_city_event():
    its = items(("a.md", m("strike", "2011-05", ZH)), ("b.md", m("strike", "2011-05-26", KZ)))
    assert groups(cluster(its)) == [["a.md", "b.md"]]


def test_link_ids_are_stable_when_unrelated_documents_arrive():
    base = items(("a.md", m("crackdown", "2011-12-16", ZH)), ("b.md", m("crackdown", "2011-12-16", ZH)))
    more = base + items(("z.md", m("protest", "2020-01-01", KYIV)))
    ids_before = {k for k, g in cluster(base).items() if len(g) == 2}
    ids_after = {k for k, g in cluster(more).items() if len(g) == 2}
    assert ids_before == ids_after


def test_reconcile_figures_spec_rule():
    reports = {"killed": [
        {"doc": "a", "low": 16, "high": 16, "text": "16 погибших"},
        {"doc": "b", "low": 20, "high": 99, "text": "десятки убитых"},
        {"doc": "c", "low": 64, "high": None, "text": "не менее 64"},
        {"doc": "d", "low": 16, "high": 16, "text": "16 погибших"},      # a syndicated copy: counted once
    ]}
    out = reconcile_figures(reports)["killed"]
    assert out["low"] == 16 and out["high"] == 99
    assert out["best"] == 59.5          # median of 16, 59.5, 64


def test_canonical_view_keeps_every_report_side_by_side():
    a = SourcedMention("a.md", 1, "public", m("crackdown", "2011-12-16", ZH, [fig("killed", 16, 16, "16 погибших", "official")]))
    b = SourcedMention("b.md", 2, "public", m("crackdown", "2011-12-16", ZH, [fig("killed", 64, None, "не менее 64", "independent")]))
    view = canonical_view("evt-1", [a, b])
    assert view["figures"]["killed"] == {"low": 16, "best": 40, "high": 64}
    assert [r["attribution"] for r in view["figure_reports"]["killed"]] == ["official", "independent"]
    assert [x["doc"] for x in view["mentions"]] == ["a.md", "b.md"]


MOSCOW = Place("Москва", "Moscow", "RU", 55.75, 37.62, "city", 524901)
MOSCOW_EN = Place("Moscow", "Moscow", "RU", 55.75, 37.62, "city", 524901)


def said(type_, date, place, text, start=0):
    """A mention whose evidence says ``text`` (numbers in it count)."""
    return Mention(type_, None, (Span(start, start + len(text), text),),
                   DateValue(date) if date else None, place)


def test_link_a_bare_year_alone_does_not_join_a_dated_report():
    # a case "in 2013" in Moscow and an unrelated hearing on 22 May 2013 in Moscow
    its = items(("a.md", said("prosecution", "2013", MOSCOW, "дело возбуждено по статье")),
                ("b.md", said("prosecution", "2013-05-22", MOSCOW, "суд рассмотрел прошение")),
                ("c.md", said("prosecution", "2013", MOSCOW, "другое дело возбуждено")))
    assert groups(cluster(its)) == [["a.md"], ["b.md"], ["c.md"]]


def test_link_shared_numbers_pair_the_right_reports_across_languages():
    # two Russian-language and two English reports of two cases dated only "2013" in Moscow:
    # the counts and article numbers they share say which is which
    its = items(
        ("ru.md", said("prosecution", "2013", MOSCOW, "задержаны 24 человека, дело по ст. 318 УК", 10)),
        ("ru.md", said("prosecution", "2013", MOSCOW, "задержаны 15 человек, дело по ст. 213 УК", 90)),
        ("en.md", said("prosecution", "2013", MOSCOW_EN, "15 arrests and a criminal case (article 213)", 10)),
        ("en.md", said("prosecution", "2013", MOSCOW_EN, "24 arrests, an article 318 case", 90)))
    got = cluster(its)
    pairs = sorted(sorted(it.mention.evidence[0].text[:12] for it in g) for g in got.values())
    assert pairs == [["15 arrests a", "задержаны 15"], ["24 arrests, ", "задержаны 24"]]


def test_link_the_day_of_a_date_counts_as_a_shared_number():
    # "19 January ... 39 detained ... article 213" (dated only 2013) and an English line dated
    # 19 January by its context that names article 213: the day and the article agree
    its = items(("ru.md", said("prosecution", "2013", MOSCOW, "19 января задержаны 39 человек, ст. 213")),
                ("ru.md", said("prosecution", "2013", MOSCOW, "на другого активиста дело", 200)),
                ("en.md", said("prosecution", "2013-01-19", MOSCOW_EN, "cases (article 213) were opened")))
    got = groups(cluster(its))
    assert ["en.md", "ru.md"] in got and ["ru.md"] in got


def test_link_years_are_not_shared_numbers():
    from letopis.link.cluster import _numbers
    assert _numbers(said("protest", None, None, "в 2013 году 1,5 тыс. человек, ст. 213")) == {"213"}


def test_link_towns_within_30_km_across_a_map_cell_border_still_meet():
    # 49.98 and 50.10 N lie in two map cells; the towns are 14 km apart: one event
    north = Place("Північне", "Pivnichne", "UA", 50.10, 30.52, "city", 1)
    south = Place("Південне", "Pivdenne", "UA", 49.98, 30.52, "city", 2)
    far = Place("Далеке", "Daleke", "UA", 48.00, 35.00, "city", 3)
    its = items(("a.md", m("protest", "2014-02", north)), ("b.md", m("protest", "2014-02-18", south)),
                ("c.md", m("protest", "2014-02-18", far)))
    assert groups(cluster(its)) == [["a.md", "b.md"], ["c.md"]]
    from letopis.link.cluster import CandidateIndex
    ix = CandidateIndex()
    for it in its:
        ix.add(it.mention)
    assert ix.neighbours(0) == {1} and ix.neighbours(2) == set()    # the far town is never compared
