"""Where an item came from, and how far the analyst trusts it.

Grading follows the 5x5x5 style used by UK police and many NGOs: source reliability A-E,
information credibility 1-5, and a handling code. Grades belong to a source record, because
the same entity can be reported by a reliable court record and by an anonymous hotline call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

RELIABILITY = ("A", "B", "C", "D", "E")
CREDIBILITY = ("1", "2", "3", "4", "5")
RELIABILITY_MEANING = {
    "A": "Always reliable",
    "B": "Mostly reliable",
    "C": "Sometimes reliable",
    "D": "Unreliable",
    "E": "Untested source",
}
CREDIBILITY_MEANING = {
    "1": "Known to be true without reservation",
    "2": "Known personally to the source but not to the officer",
    "3": "Not personally known to the source but corroborated",
    "4": "Cannot be judged",
    "5": "Suspected to be false",
}


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One source row (or a manual entry) behind an item."""

    source: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    imported_at: datetime | None = None
    reliability: str = ""
    credibility: str = ""
    handling: str = ""

    def __post_init__(self) -> None:
        if self.reliability and self.reliability not in RELIABILITY:
            raise ValueError(f"source reliability must be one of A-E, not {self.reliability!r}")
        if self.credibility and self.credibility not in CREDIBILITY:
            raise ValueError(f"information credibility must be 1-5, not {self.credibility!r}")

    @property
    def grade(self) -> str:
        """'B2' style grade, or '' when ungraded."""
        return f"{self.reliability}{self.credibility}"

    def describe(self) -> str:
        where = self.file or self.source
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" row {self.row}"
        return f"{where} ({self.grade})" if self.grade else where
