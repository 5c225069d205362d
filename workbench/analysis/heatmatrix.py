"""Heat matrix: counts of one field against another (origin country by destination country,
caller by hour of day). Each cell keeps its item ids so that clicking it selects them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from workbench.analysis.fields import NONE_LABEL, OTHER_LABEL, DateBin, Field, Keyer, items_of
from workbench.analysis.graph import AnalysisError
from workbench.model import Chart


class Scale(StrEnum):
    LINEAR = "linear"
    LOG = "log"  # when a few cells dwarf the rest (one huge route, many small ones)


@dataclass(frozen=True)
class HeatMatrix:
    title: str
    rows: list[str]
    columns: list[str]
    counts: np.ndarray  # shape (len(rows), len(columns))
    cells: dict[tuple[int, int], tuple[str, ...]]  # (row, column) -> item ids
    value_rows: int = 0  # rows before "Other" and "(none)"
    value_columns: int = 0

    @property
    def scale_top(self) -> int:
        """The count that gets the strongest colour: the biggest real cell, so that "Other"
        (hundreds of small values together) does not wash every real route out to white."""
        real = self.counts[:self.value_rows, :self.value_columns]
        top = int(real.max()) if real.size else 0
        return top or int(self.counts.max()) if self.counts.size else 0

    def ids(self, row: int, column: int) -> tuple[str, ...]:
        return self.cells.get((row, column), ())

    def selected_counts(self, selected: Collection[str]) -> np.ndarray:
        chosen = set(selected)
        out = np.zeros_like(self.counts)
        if chosen:
            for (r, c), ids in self.cells.items():
                out[r, c] = sum(1 for i in ids if i in chosen)
        return out

    def intensity(self, scale: Scale | str = Scale.LINEAR) -> np.ndarray:
        """Cell values from 0 to 1 for colouring (log uses log(1 + count)), relative to
        ``scale_top``; bigger "Other" cells are clipped to 1."""
        values = self.counts.astype(float)
        top = float(self.scale_top)
        if Scale(scale) is Scale.LOG:
            values, top = np.log1p(values), float(np.log1p(top))
        return np.clip(values / top, 0, 1) if top > 0 else values


def heat_matrix(chart: Chart, rows: Field, columns: Field, *,
                among: Iterable[str] | None = None, top: int | None = 20,
                scope: str = "") -> HeatMatrix:
    """Count items by two fields of the same items (both of entities or both of links).

    Rows and columns are ordered by their totals, biggest first, in value order for dates and
    numbers; beyond ``top`` they are grouped as "Other"; items without a value go to "(none)".
    """
    if rows.target is not columns.target:
        raise AnalysisError("a heat matrix counts one kind of item: both fields must be of "
                            "entities or both of links")
    items = items_of(chart, rows.target, among)
    row_keyer, col_keyer = Keyer(chart, rows, items), Keyer(chart, columns, items)
    pairs = []
    for item in items:
        pairs.append((item.id, row_keyer.key(item.id), col_keyer.key(item.id)))
    row_order = _axis([p[1] for p in pairs], _top_for(rows, top))
    col_order = _axis([p[2] for p in pairs], _top_for(columns, top))
    row_index = {k: i for i, (k, _) in enumerate(row_order)}
    col_index = {k: i for i, (k, _) in enumerate(col_order)}
    cells: dict[tuple[int, int], list[str]] = {}
    for item_id, rk, ck in pairs:
        r = row_index.get(rk[0] if rk else None, row_index.get("other"))
        c = col_index.get(ck[0] if ck else None, col_index.get("other"))
        cells.setdefault((r, c), []).append(item_id)
    counts = np.zeros((len(row_order), len(col_order)), dtype=int)
    for (r, c), ids in cells.items():
        counts[r, c] = len(ids)
    title = f"{rows.target.value.capitalize()}: {rows.describe()} by {columns.describe()}"
    if scope:
        title += f" ({scope})"
    return HeatMatrix(title, [label for _, label in row_order],
                      [label for _, label in col_order], counts,
                      {k: tuple(v) for k, v in cells.items()},
                      sum(1 for k, _ in row_order if k not in (None, "other")),
                      sum(1 for k, _ in col_order if k not in (None, "other")))


def _top_for(field: Field, top: int | None) -> int | None:
    """Hours of the day and days of the week are always shown whole: a cycle with gaps lies."""
    return None if field.bin in (DateBin.HOUR, DateBin.WEEKDAY) else top


def _axis(keys: list, top: int | None) -> list[tuple[object, str]]:
    """(group key, label) for one axis: top values, then Other, then (none)."""
    totals: dict[tuple, int] = {}
    labels: dict[tuple, str] = {}
    missing = False
    for key in keys:
        if key is None:
            missing = True
            continue
        totals[key[0]] = totals.get(key[0], 0) + 1
        labels.setdefault(key[0], key[1])
    ordered = sorted(totals, key=lambda k: (-totals[k], k))
    kept = ordered if top is None else ordered[:top]
    if all(k[0] in (1, 3) for k in kept):  # numbers and times read best in order
        kept = sorted(kept)
    axis: list[tuple[object, str]] = [(k, labels[k]) for k in kept]
    if len(ordered) > len(kept):
        axis.append(("other", f"{OTHER_LABEL} ({len(ordered) - len(kept):,})"))
    if missing:
        axis.append((None, NONE_LABEL))
    return axis
