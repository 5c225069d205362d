"""Accounting for rows: the issues of one table, its date columns, and why rows made nothing.

Kept apart from the importer's entity and link work so that each part can be read alone. The
rule it enforces: a value that cannot be read costs only that value (a date left empty, a
number kept as text), never the row; and every row that made nothing is in the report with
its reason, so the analyst can find it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.io.date_formats import describe
from workbench.io.import_report import (
    ERROR,
    NOTE,
    WARNING,
    FileSummary,
    ImportReport,
    Issue,
    RowGroup,
)
from workbench.io.import_values import Normaliser, evaluate
from workbench.io.importspec import ImportSpec, Template
from workbench.io.text_table import Table
from workbench.model.kinds import ParseError


class IssueMaker:
    """Issues of one table; a cell warned about once even when several links read it."""

    def __init__(self, table: Table, report: ImportReport) -> None:
        self.table, self.report = table, report
        self._seen: set[tuple[int, str, str]] = set()

    def __call__(self, p: int, column: str, value: object, reason: str, severity: str,
                 group: str = "") -> None:
        row = int(self.table.row_numbers[p])
        if group:
            key = (row, column, group)
            if key in self._seen:
                return
            self._seen.add(key)
        self.report.issues.append(Issue(self.table.path.name, self.table.sheet, row, column,
                                        str(value), reason, severity, group))

    def rows(self, mask: np.ndarray, column: str, reason: str, group: str,
             severity: str = NOTE) -> None:
        """Every row of ``mask`` under one reason (kept as row numbers, not objects)."""
        if mask.any():
            self.report.row_groups.append(RowGroup(
                self.table.path.name, self.table.sheet, column, reason, severity, group,
                self.table.row_numbers[mask]))


@dataclass(slots=True)
class DateColumn:
    """One date template read over a table: a date (or None) per row, and which rows left it
    empty; ``used`` collects the rows whose entity or link took a date from it."""

    values: np.ndarray
    precisions: np.ndarray  # the DatePrecision of each value
    empty: np.ndarray
    column: str
    used: np.ndarray
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (position, text, why)


def read_dates(frame: pd.DataFrame, keep: np.ndarray, norm: Normaliser, issue: IssueMaker,
               template: Template, formats: tuple[str, ...], notes: list[str],
               where: str) -> DateColumn:
    """Dates of the rows that ``keep``; a date that cannot be read is left empty with a
    warning (the row still makes its entities and links)."""
    n = len(frame)
    texts = evaluate(frame, template)
    column = ", ".join(template.columns)
    values = np.full(n, None, dtype=object)
    filled_mask = keep & (texts != "").to_numpy()
    filled = np.flatnonzero(filled_mask)
    codes, uniques = pd.factorize(texts.iloc[filled])
    got, got_precisions, detection = norm.dates(uniques.tolist(), formats)
    got_arr = np.empty(len(got), dtype=object)
    got_arr[:] = got
    precisions = np.full(n, None, dtype=object)
    precision_arr = np.empty(len(got), dtype=object)
    precision_arr[:] = got_precisions
    precisions[filled] = precision_arr[codes]
    bad = np.array([isinstance(d, ParseError) for d in got], dtype=bool)
    values[filled] = got_arr[codes]
    unread = [(int(filled[j]), uniques[codes[j]], str(got_arr[codes[j]]))
              for j in np.flatnonzero(bad[codes])]
    for p, _, _ in unread:
        values[p] = None
    if detection is not None and detection.formats:
        first = detection.formats[0]
        note = f"{where}: dates in {column!r} read as {describe(first)}"
        if detection.ambiguous is not None:
            note += (f"; they could also be {describe(detection.ambiguous)} (no day in the "
                     "sample is over 12): set date_format to choose")
        if note not in notes:
            notes.append(note)
    return DateColumn(values, precisions, keep & (texts == "").to_numpy(), column,
                      np.zeros(n, dtype=bool), unread)


def note_undated(issue: IssueMaker, dates: dict, key_of: dict) -> None:
    """Rows whose entity or link was made undated: a date that could not be read (a
    warning per cell) or an empty date cell (a note)."""
    for tkey, col in dates.items():
        for p, text, why in col.bad:
            if col.used[p]:
                issue(p, col.column, text, f"date left empty: {why}", WARNING,
                      f"dates in {col.column!r} could not be read, such as {{example}}; left "
                      "empty (the row's entities and links are made, undated)")
        uses = ", ".join(k for k, t in key_of.items() if t == tkey)
        issue.rows(col.used & col.empty, col.column, f"empty date: {uses} undated",
                   f"row(s) with an empty date in {col.column!r}: undated ({uses})")


def account(summary: FileSummary, issue: IssueMaker, keep: np.ndarray, made: np.ndarray,
            invalid: np.ndarray, spec: ImportSpec) -> None:
    """Every row: imported (made something), or why it made nothing."""
    nothing = ~made
    filtered = nothing & ~keep
    rejected = nothing & keep & invalid
    empty = nothing & keep & ~invalid
    summary.rows_imported = int(made.sum())
    summary.rows_rejected = int(rejected.sum())
    summary.rows_skipped = int(filtered.sum() + empty.sum())
    identity_columns = ", ".join(dict.fromkeys(c for e in spec.entities.values()
                                               for c in e.identity.columns))
    for mask, why, group in (
        (filtered, "filtered out", "row(s) filtered out by the spec's filters"),
        (empty, "every identity empty (or excluded by 'when')",
         f"row(s) made nothing: every identity empty ({identity_columns}) or excluded by "
         "'when'"),
        (rejected, "no valid identity", "row(s) made nothing: no identity was valid"),
    ):
        count = int(mask.sum())
        if count:
            summary.nothing[why] = summary.nothing.get(why, 0) + count
            if mask is not rejected:  # rejected rows are listed with their bad values
                issue.rows(mask, identity_columns if mask is empty else "",
                           f"made nothing: {why}", group)


def bad_identities(issue: IssueMaker, pos: np.ndarray, parts: pd.Series, errors: np.ndarray,
                   role: str, type_name: str, column: str) -> np.ndarray:
    """Report identities that are not valid for their type; returns the mask of bad ones."""
    bad = np.asarray(errors != None, dtype=bool)  # noqa: E711 - elementwise
    for i in np.flatnonzero(bad):
        issue(pos[i], column, parts.iloc[i], f"entities.{role}: {errors[i]}; no {type_name} "
              "made from it", ERROR,
              f"values in {column!r} are not valid {type_name} identities, such as "
              "{example}; no entity made from them (the row's other entities are)")
    return bad


def value_group(column: str, kind: str, warning: str) -> str:
    """The on-screen sentence for a value kept in a weaker form."""
    if "bound" in warning:
        return f"cells in {column!r} hold a bound such as {{example}}; kept as text"
    return f"cells in {column!r} are not a {kind}, such as {{example}}; kept as text"
