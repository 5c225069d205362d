"""Where an item came from, and how far the analyst trusts it.

Grading follows the 5x5x5 style used by UK police and many NGOs: source reliability A-E,
information credibility 1-5, and a handling code. Grades belong to a source record, because
the same entity can be reported by a reliable court record and by an anonymous hotline call.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, fields
from datetime import datetime
from itertools import repeat

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


@dataclass(frozen=True, slots=True, init=False)
class SourceRecord:
    """One source row (or a manual entry) behind an item.

    Immutable, so that an import can give one record to a link and both its ends and a chart
    file can write it once. ``__init__`` is written out because the one a frozen dataclass
    generates sets each field through ``object.__setattr__`` (1.4 us a record, a fifth of
    loading a chart of 551,000 source rows); the slots' own setters take a third of that.
    It takes the same arguments and makes the same checks."""

    source: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    imported_at: datetime | None = None
    reliability: str = ""
    credibility: str = ""
    handling: str = ""

    def __init__(self, source: str, file: str = "", sheet: str = "", row: int | None = None,
                 imported_at: datetime | None = None, reliability: str = "",
                 credibility: str = "", handling: str = "") -> None:
        _check_grade(reliability, credibility)
        s0, s1, s2, s3, s4, s5, s6, s7 = _SETTERS
        s0(self, source)
        s1(self, file)
        s2(self, sheet)
        s3(self, row)
        s4(self, imported_at)
        s5(self, reliability)
        s6(self, credibility)
        s7(self, handling)

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


# The slot descriptors' setters, in field order (the class is frozen: assigning an attribute
# raises, so ``__init__`` sets its fields through these).
_SETTERS = tuple(SourceRecord.__dict__[f.name].__set__ for f in fields(SourceRecord))


def _check_grade(reliability: str, credibility: str) -> None:
    if reliability and reliability not in RELIABILITY:
        raise ValueError(f"source reliability must be one of A-E, not {reliability!r}")
    if credibility and credibility not in CREDIBILITY:
        raise ValueError(f"information credibility must be 1-5, not {credibility!r}")


def records_of(source: list[str], file: list[str], sheet: list[str], row: list[int | None],
               imported_at: list[datetime | None], reliability: list[str],
               credibility: list[str], handling: list[str]) -> list[SourceRecord]:
    """Many records at once from columns, one list per field (a chart file's ``sources``),
    with the checks ``SourceRecord(...)`` makes. Each field is set on every record by one
    ``map`` of its slot's setter: calling the class per record runs Python code eight setter
    calls long, 0.3 s for the 600,000 records of a big import's chart, this a third less."""
    columns = (source, file, sheet, row, imported_at, reliability, credibility, handling)
    n = len(source)
    if any(len(values) != n for values in columns):
        raise ValueError("every field needs one value per record")
    for grade in set(reliability):  # an import grades its rows alike: one or two each
        _check_grade(grade, "")
    for grade in set(credibility):
        _check_grade("", grade)
    made = list(map(object.__new__, repeat(SourceRecord, n)))
    for setter, values in zip(_SETTERS, columns, strict=True):
        deque(map(setter, made, values), maxlen=0)
    return made
