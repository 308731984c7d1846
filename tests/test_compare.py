"""compare: our events against an ACLED or Mass Mobilization file, by the linking rules."""
import pytest

from letopis.errors import UsageError
from letopis.interop import compare
from letopis.store import open_store
from test_export_formats import build
from test_import_acled import ROWS, write_csv


def test_compare_acled_finds_both_ours_only_and_theirs_only(tmp_path):
    store = build()                     # public: the Zhanaozen shooting and the Minsk picket of 2021
    res = compare(store, write_csv(tmp_path / "acled.csv"), "acled-csv")
    # the shooting is ACLED's KAZ901 (its crackdown mention: same type, day and town)
    assert [(m.row_id, m.type) for m in res.both] == [("acled.csv#KAZ901", "crackdown")]
    assert res.both[0].score >= 5
    assert len(res.ours_only) == 1                             # the picket: ACLED lacks it
    assert res.theirs_only == ("acled.csv#BLR903",)            # a 2020 Minsk protest: we lack it
    assert (res.their_rows, res.skipped_rows) == (2, 1)        # KAZ902 is a battle, out of scope
    statuses = sorted(r["status"] for r in res.rows())
    assert statuses == ["both", "ours_only", "theirs_only"]
    assert "1 of our events are in the other dataset" in res.summary()


def test_compare_never_matches_across_dates_or_places(tmp_path):
    rows = [list(ROWS[0])]
    rows[0][1] = "2012-12-16"                                   # a year later: another event
    store = build()
    res = compare(store, write_csv(tmp_path / "acled.csv", rows), "acled-csv")
    assert res.both == () and res.theirs_only == ("acled.csv#KAZ901",)
    rows[0][1], rows[0][21], rows[0][22], rows[0][23] = "2011-12-16", "Aktau", "43.65", "51.16"   # 150 km away
    res = compare(store, write_csv(tmp_path / "acled2.csv", rows), "acled-csv")
    assert res.both == ()


def test_compare_respects_clearance(tmp_path):
    store = build()
    public = compare(store, write_csv(tmp_path / "a.csv"), "acled-csv")
    cleared = compare(store, write_csv(tmp_path / "a.csv"), "acled-csv", clearance="confidential")
    assert len(cleared.ours_only) == len(public.ours_only) + 2


def test_compare_empty_store_lacks_everything(tmp_path):
    res = compare(open_store(":memory:"), write_csv(tmp_path / "a.csv"), "acled-csv")
    assert res.both == () and res.ours_only == () and len(res.theirs_only) == 2


def test_compare_rejects_unknown_format(tmp_path):
    with pytest.raises(UsageError):
        compare(open_store(":memory:"), write_csv(tmp_path / "a.csv"), "gdelt")
