"""The import report: what was read, what went in, and every row that did not, with why.

Nothing is dropped silently. Every row is accounted for: it made entities and links, or it
made nothing and the report says why (filtered out, identities empty, identities not valid).
A value that could not be read is left out of its field (a date) or kept in a weaker form (a
bound such as "<5" kept as text) and listed as a warning with file, sheet, row, column and
value; the row still makes its entities and links. On screen, problems of one kind are grouped
("16,126 cells hold a bound such as '<5'; kept as text"); the CSV written for the analyst lists
every row.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench.io.atomic import atomic_path
from workbench.io.cells import neutralise

ERROR = "rejected"
WARNING = "warning"
NOTE = "note"


@dataclass(frozen=True, slots=True)
class Issue:
    """One cell (or row) with a problem. ``group`` is the sentence that issues of one kind
    share on screen, with ``{example}`` where the first value goes."""

    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str
    severity: str = ERROR
    group: str = ""


@dataclass(slots=True)
class RowGroup:
    """Many rows with one reason (rows with an empty identity, rows filtered out), kept as an
    array of row numbers so a million of them cost megabytes, not a million objects."""

    file: str
    sheet: str
    column: str
    reason: str
    severity: str
    group: str  # the sentence on screen, after the count
    rows: np.ndarray  # spreadsheet row numbers

    def issues(self) -> Iterator[Issue]:
        for row in self.rows.tolist():
            yield Issue(self.file, self.sheet, row, self.column, "", self.reason,
                        self.severity, self.group)


@dataclass(slots=True)
class FileSummary:
    """One file (or one sheet) of the import."""

    file: str
    sheet: str = ""
    encoding: str = ""
    encoding_guessed: bool = False
    rows_read: int = 0
    rows_imported: int = 0  # made at least one entity
    rows_skipped: int = 0  # filtered out, or every identity empty
    rows_rejected: int = 0  # made nothing because its identities were not valid
    made: dict[str, int] = field(default_factory=dict)  # "entities.x (Type)" -> rows
    nothing: dict[str, int] = field(default_factory=dict)  # why rows made nothing -> rows
    unlinked: int = 0  # rows that made entities but no link (an end was empty)

    def where(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


@dataclass(slots=True)
class ImportReport:
    files: list[FileSummary] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    row_groups: list[RowGroup] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # near misses: a spelling that is no known place -> the names it is close to (for the
    # wizard to offer; never merged without the analyst)
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    entities_new: int = 0
    entities_merged: int = 0  # existing entities of the chart that this import touched
    links_new: int = 0

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_imported(self) -> int:
        return sum(f.rows_imported for f in self.files)

    @property
    def rows_skipped(self) -> int:
        return sum(f.rows_skipped for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    def add_chunk(self, part: ImportReport, summary: FileSummary | None) -> FileSummary:
        """Fold the report of one chunk of a file (a store imports a file chunk by chunk)
        into this one: one summary per file, counts added; returns the file's summary."""
        self.issues.extend(part.issues)
        self.row_groups.extend(part.row_groups)
        self.notes.extend(n for n in part.notes if n not in self.notes)
        for name, near in part.suggestions.items():
            self.suggestions.setdefault(name, near)
        f = part.files[0]
        if summary is None:
            self.files.append(f)
            return f
        for name in ("rows_read", "rows_imported", "rows_skipped", "rows_rejected",
                     "unlinked"):
            setattr(summary, name, getattr(summary, name) + getattr(f, name))
        for mine, theirs in ((summary.made, f.made), (summary.nothing, f.nothing)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        return summary

    def all_issues(self) -> Iterator[Issue]:
        """Every issue, the row groups spelt out row by row (for the CSV)."""
        yield from self.issues
        for g in self.row_groups:
            yield from g.issues()

    def grouped(self) -> list[tuple[str, int, str, Issue]]:
        """(severity, count, sentence, first issue) per kind of problem: errors first, then
        warnings, then notes, each by count."""
        counts: Counter[tuple[str, str]] = Counter()
        first: dict[tuple[str, str], Issue] = {}
        for i in self.issues:
            key = (i.severity, i.group or i.reason)
            counts[key] += 1
            first.setdefault(key, i)
        for g in self.row_groups:
            key = (g.severity, g.group)
            counts[key] += len(g.rows)
            if len(g.rows):
                first.setdefault(key, next(g.issues()))
        order = {ERROR: 0, WARNING: 1, NOTE: 2}
        out = [(sev, n, text.replace("{example}", repr(first[(sev, text)].value)),
                first[(sev, text)]) for (sev, text), n in counts.items() if n]
        return sorted(out, key=lambda t: (order.get(t[0], 3), -t[1]))

    def made(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.made)
        return dict(total)

    def nothing(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.nothing)
        return dict(total)

    def summary(self) -> str:
        """A few lines for the terminal or the wizard's last page: every row accounted for,
        problems grouped by kind."""
        made_nothing = self.rows_read - self.rows_imported
        lines = [
            f"Rows read {self.rows_read:,}, imported {self.rows_imported:,}, "
            f"skipped {self.rows_skipped:,}, rejected {self.rows_rejected:,}.",
            f"Entities: {self.entities_new:,} new, {self.entities_merged:,} already in the "
            f"chart. Links: {self.links_new:,} new.",
        ]
        for what, n in self.made().items():
            lines.append(f"  {n:,} row(s) made {what}")
        unlinked = sum(f.unlinked for f in self.files)
        if unlinked:
            lines.append(f"  {unlinked:,} row(s) made entities but no link (an end of every "
                         "link was empty or not valid)")
        if made_nothing:
            why = "; ".join(f"{n:,} {reason}" for reason, n in self.nothing().items())
            lines.append(f"  {made_nothing:,} row(s) made nothing: {why}")
        if len(self.files) > 1:
            for f in self.files:
                lines.append(f"  {f.where()}: read {f.rows_read:,}, imported "
                             f"{f.rows_imported:,}, skipped {f.rows_skipped:,}, rejected "
                             f"{f.rows_rejected:,}")
        for f in self.files:
            if f.encoding:
                how = "guessed" if f.encoding_guessed else "detected"
                lines.append(f"  {f.where()}: encoding {f.encoding} ({how})")
        lines += [f"  {n}" for n in self.notes]
        grouped = self.grouped()
        if grouped:
            lines.append(f"Problems ({len(self.errors):,}), warnings ({len(self.warnings):,}) "
                         "and notes, by kind (every row is in the report file):")
            for sev, n, text, i in grouped:
                where = f"{i.file}{f' [{i.sheet}]' if i.sheet else ''} row {i.row}"
                where += f", column {i.column!r}" if i.column else ""
                lines.append(f"  {sev}: {n:,} {text} (first: {where})")
        return "\n".join(lines)

    def write_csv(self, path: str | Path) -> None:
        """Every issue as a CSV row, every row of a row group too; cells that a spreadsheet
        would run as formulas are neutralised with a leading apostrophe (the values come from
        untrusted files)."""
        with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "sheet", "row", "column", "value", "reason", "severity"])
            for i in self.all_issues():
                writer.writerow([_safe(i.file), _safe(i.sheet), i.row, _safe(i.column),
                                 _safe(i.value), _safe(i.reason), i.severity])


def _safe(text: str) -> str:
    return neutralise(text)  # the rule of every CSV Workbench writes (workbench.io.cells)
