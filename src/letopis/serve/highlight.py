"""Document text → segments for escaped rendering, with every mention's evidence marked.

The template prints each segment's text through Jinja's autoescape; nothing of the
document is ever marked safe. A segment knows which marks cover it (mention,
kind: evidence | figure | actor | place | date | demand) and which anchors
(``s-START-END``) open at its start, so /documents/{id}#s-START-END lands on a passage.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Segment:
    text: str
    marks: list[dict] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> str:
        return " ".join(sorted({"hl-" + m["kind"] for m in self.marks}))

    @property
    def event(self) -> str | None:
        for m in self.marks:
            if m.get("event"):
                return m["event"]
        return None

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(m["label"] for m in self.marks))


def spans_of(mentions: list[dict]) -> list[dict]:
    out = []
    for m in mentions:
        label = f"{m.get('type')}" + (f"/{m['subtype']}" if m.get("subtype") else "")
        base = {"event": m.get("event_id"), "mention": m.get("idx")}
        for s in m.get("evidence") or ():
            out.append({**base, "start": s["start"], "end": s["end"], "kind": "evidence", "label": label})
        for f in m.get("figures") or ():
            ev = f.get("evidence") or {}
            if "start" in ev:
                rng = f"{f.get('low')}..{f.get('high')}"
                out.append({**base, "start": ev["start"], "end": ev["end"], "kind": "figure",
                            "label": f"{f.get('kind')} {rng} ({f.get('attribution')})"})
        for a in m.get("actors") or ():
            ev = a.get("evidence") or {}
            if "start" in ev:
                out.append({**base, "start": ev["start"], "end": ev["end"], "kind": "actor",
                            "label": f"{a.get('role')}: {a.get('name')}"})
        for d in m.get("demands") or ():
            ev = d.get("evidence") or {}
            if "start" in ev:
                out.append({**base, "start": ev["start"], "end": ev["end"], "kind": "demand",
                            "label": f"demand: {d.get('category')}"})
    return out


def segments(text: str, spans: list[dict]) -> list[Segment]:
    n = len(text)
    spans = [s for s in spans if 0 <= s["start"] < s["end"] <= n]
    cuts = {0, n}
    for s in spans:
        cuts.add(s["start"]); cuts.add(s["end"])
    points = sorted(cuts)
    anchors_at: dict[int, list[str]] = {}
    for s in spans:
        if s["kind"] == "evidence" or s["kind"] == "figure":
            a = f"s-{s['start']}-{s['end']}"
            lst = anchors_at.setdefault(s["start"], [])
            if a not in lst:
                lst.append(a)
    out = []
    by_start = sorted(spans, key=lambda s: s["start"])
    for a, b in zip(points, points[1:]):
        covering = [s for s in by_start if s["start"] <= a and s["end"] >= b]
        out.append(Segment(text[a:b], covering, anchors_at.get(a, [])))
    if n == 0:
        out.append(Segment("", [], []))
    return out
