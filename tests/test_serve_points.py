"""Timeline counts: kept with the cached point list they were counted from, fresh for a new list."""
from letopis.serve.points import Point, buckets


def test_serve_points_buckets_are_reused_only_for_the_same_point_list():
    pts = [Point("e1", "protest", "2011-12-16", None, None), Point("e2", "strike", "2011-05", None, None)]
    first = buckets(pts, "year")
    assert buckets(pts, "year") is first
    assert first["buckets"] == [{"key": "2011", "types": {"protest": 1, "strike": 1}, "total": 2}]
    more = pts + [Point("e3", "protest", "2013-12-16", None, None)]      # the data changed: a new list
    assert [b["key"] for b in buckets(more, "year")["buckets"]] == ["2011", "2013"]
    assert buckets(pts, "month")["grain"] == "month"
