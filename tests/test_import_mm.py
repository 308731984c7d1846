"""Mass Mobilization CSV import: protests, state responses, demands, participants; idempotent."""
import csv
import io

import pytest

from letopis.interop import import_file
from letopis.interop.mm_import import participants, read_rows
from letopis.model import Span
from letopis.store import open_store

HEADER = ("id,country,ccode,year,region,protest,protestnumber,startday,startmonth,startyear,endday,endmonth,"
          "endyear,protesterviolence,location,participants_category,participants,protesteridentity,"
          "protesterdemand1,protesterdemand2,protesterdemand3,protesterdemand4,stateresponse1,stateresponse2,"
          "stateresponse3,stateresponse4,stateresponse5,stateresponse6,stateresponse7,sources,notes").split(",")
ROWS = [  # fictional rows in the dataset's shape
    ["3702020001", "Belarus", "370", "2020", "Europe", "1", "1", "9", "8", "2020", "10", "8", "2020", "0", "Minsk",
     ">10000", "tens of thousands", "opposition supporters", "political behavior, process", "police brutality",
     ".", ".", "crowd dispersal", "beatings", "arrests", ".", ".", ".", ".", "Example Daily",
     "Opposition supporters marched after the vote; police broke up the march."],
    ["3702020002", "Belarus", "370", "2020", "Europe", "1", "2", "1", "9", "2020", "1", "9", "2020", "0", "national",
     "100-999", "100s", "students", "social restrictions", ".", ".", ".", "accomodation", ".", ".", ".", ".", ".",
     ".", "Example Daily", "Students protested across the country; the ministry gave way."],
    ["3702021000", "Belarus", "370", "2021", "Europe", "0", "0", "", "", "", "", "", "", "", "", "", "", "", "",
     "", "", "", "", "", "", "", "", "", "", "", ""],
]


def write_csv(path):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(ROWS)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_import_mm_rows_become_protest_and_response_mentions(tmp_path):
    got = {name: (text, ms) for _r, name, text, _s, ms in read_rows(write_csv(tmp_path / "mm.csv"))}
    assert got["mm.csv#3702021000"][1] == "no protest"
    text, ms = got["mm.csv#3702020001"]
    assert [(m.type, m.subtype) for m in ms] == [("protest", None), ("crackdown", "beating"), ("detention", None)]
    protest = ms[0]
    assert (protest.date.start, protest.date.end) == ("2020-08-09", "2020-08-10")
    assert protest.place.name_en == "Minsk" and protest.place.lat is not None
    assert {d.category for d in protest.demands} == {"political_behavior_process", "police_brutality"}
    assert [(f.kind, f.low, f.high) for f in protest.figures] == [("participants", 20000, 99999)]
    for m in ms:
        for s in list(m.evidence) + [f.span for f in m.figures] + [d.span for d in m.demands]:
            assert text[s.start:s.end] == s.text
    _, national = got["mm.csv#3702020002"]
    assert national[0].place.kind == "country" and national[0].place.country == "BY"
    assert [(m.type, m.subtype) for m in national] == [("protest", None), ("concession", "demands_met")]
    assert [(f.low, f.high) for f in national[0].figures] == [(200, 999)]


@pytest.mark.parametrize("text, expected", [
    ("1000s", (2000, 9999)), ("100s", (200, 999)), (">10000", (10001, None)), ("50-99", (50, 99)),
    ("about 300", (300, 300)), ("hundreds", (200, 999)), ("<50", (None, 50)), ("unknown", None)])
def test_import_mm_participants_wording(text, expected):
    f = participants(Span(0, len(text), text))
    assert (f and (f.low, f.high)) == expected


def test_import_mm_is_idempotent(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    path = write_csv(tmp_path / "mm.csv")
    first = import_file(store, "mm-csv", path)
    assert (first.rows, first.added, first.skipped["no protest"], first.mentions) == (3, 2, 1, 5)
    again = import_file(store, "mm-csv", path)
    assert (again.added, again.unchanged, again.events) == (0, 2, first.events)
