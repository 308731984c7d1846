"""Counts that exports and imports report: what was written, what was skipped and why."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ExportStats:
    """Filled by a writer when passed as ``stats=``: events written, and events skipped by reason."""
    written: int = 0
    skipped: Counter = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def summary(self) -> str:
        s = f"{self.written} written"
        if self.skipped:
            s += ", skipped: " + ", ".join(f"{n} {r}" for r, n in sorted(self.skipped.items()))
        return s


@dataclass
class ImportStats:
    """What an import did: rows read, documents added, rows already there, rows skipped by reason."""
    rows: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    renamed: int = 0
    mentions: int = 0
    events: int = 0
    skipped: Counter = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def summary(self) -> str:
        s = (f"{self.rows} rows: {self.added} added, {self.replaced} replaced, {self.unchanged} unchanged; "
             f"{self.mentions} mentions, {self.events} events after linking")
        if self.renamed:
            s += f"; {self.renamed} documents renamed to avoid a name clash"
        if self.skipped:
            s += "; skipped: " + ", ".join(f"{n} {r}" for r, n in sorted(self.skipped.items()))
        return s
