"""The import report: what was read, what went in, and every row that did not, with why.

Nothing is dropped silently: a rejected row (a phone that is not a phone, a date that fits no
format) is listed with file, sheet, row, column, value and reason; a value kept in a weaker
form (a bound such as "<5" kept as text) is listed as a warning. The report is shown to the
user and can be written as CSV for the analyst to fix the source and import again.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from workbench.io.atomic import atomic_path
from workbench.io.cells import neutralise

ERROR = "rejected"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str
    severity: str = ERROR


@dataclass(slots=True)
class FileSummary:
    """One file (or one sheet) of the import."""

    file: str
    sheet: str = ""
    encoding: str = ""
    encoding_guessed: bool = False
    rows_read: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    rows_rejected: int = 0

    def where(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


@dataclass(slots=True)
class ImportReport:
    files: list[FileSummary] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
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

    def summary(self) -> str:
        """A few lines for the terminal or the wizard's last page."""
        lines = [
            f"Rows read {self.rows_read:,}, imported {self.rows_imported:,}, "
            f"skipped {self.rows_skipped:,}, rejected {self.rows_rejected:,}.",
            f"Entities: {self.entities_new:,} new, {self.entities_merged:,} already in the "
            f"chart. Links: {self.links_new:,} new.",
        ]
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
        errors, warnings = self.errors, self.warnings
        if errors or warnings:
            lines.append(f"{len(errors):,} problem(s) and {len(warnings):,} warning(s); "
                         "first ones:")
            for issue in [*errors[:5], *warnings[:5]]:
                where = f"{issue.file}{f' [{issue.sheet}]' if issue.sheet else ''} row " \
                        f"{issue.row}, column {issue.column!r}"
                lines.append(f"  {issue.severity}: {where}: {issue.reason}")
        return "\n".join(lines)

    def write_csv(self, path: str | Path) -> None:
        """Every issue as a CSV row; cells that a spreadsheet would run as formulas are
        neutralised with a leading apostrophe (the values come from untrusted files)."""
        with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "sheet", "row", "column", "value", "reason", "severity"])
            for i in self.issues:
                writer.writerow([_safe(i.file), _safe(i.sheet), i.row, _safe(i.column),
                                 _safe(i.value), _safe(i.reason), i.severity])


def _safe(text: str) -> str:
    return neutralise(text)  # the rule of every CSV Workbench writes (workbench.io.cells)
