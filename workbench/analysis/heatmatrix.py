"""Heat matrix: counts of one field against another (origin country by destination country,
caller by hour of day). Each cell keeps its item ids so that clicking it selects them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from workbench.analysis.fields import (
    NONE_LABEL,
    OTHER_LABEL,
    DateBin,
    Field,
    Keyer,
    Target,
    items_of,
)
from workbench.analysis.graph import AnalysisError
from workbench.analysis.histogram import STORE_LINKS
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
    stands_for: Mapping[str, int] | None = None  # a store chart's lines: their store links

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
            many = self.stands_for or {}
            for (r, c), ids in self.cells.items():
                out[r, c] = sum(many.get(i, 1) for i in ids if i in chosen)
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
                scope: str = "", stands_for: Mapping[str, int] | None = None) -> HeatMatrix:
    """Count items by two fields of the same items (both of entities or both of links).

    Rows and columns are ordered by their totals, biggest first, in value order for dates and
    numbers; beyond ``top`` they are grouped as "Other"; items without a value go to "(none)".
    ``stands_for`` counts each link of a chart drawn from a store as the store links it stands
    for (as ``histogram`` does): who calls whom most is a count of calls.
    """
    if rows.target is not columns.target:
        raise AnalysisError("a heat matrix counts one kind of item: both fields must be of "
                            "entities or both of links")
    if stands_for is not None and rows.target is not Target.LINKS:
        raise AnalysisError("store links are counted for links")
    many = stands_for or {}
    items = items_of(chart, rows.target, among)
    row_keyer, col_keyer = Keyer(chart, rows, items), Keyer(chart, columns, items)
    pairs = []
    for item in items:
        pairs.append((item.id, row_keyer.key(item.id), col_keyer.key(item.id)))
    weights = [many.get(p[0], 1) for p in pairs]
    row_order = _axis([p[1] for p in pairs], weights, _top_for(rows, top))
    col_order = _axis([p[2] for p in pairs], weights, _top_for(columns, top))
    row_index = {k: i for i, (k, _) in enumerate(row_order)}
    col_index = {k: i for i, (k, _) in enumerate(col_order)}
    cells: dict[tuple[int, int], list[str]] = {}
    for item_id, rk, ck in pairs:
        r = row_index.get(rk[0] if rk else None, row_index.get("other"))
        c = col_index.get(ck[0] if ck else None, col_index.get("other"))
        cells.setdefault((r, c), []).append(item_id)
    counts = np.zeros((len(row_order), len(col_order)), dtype=int)
    for (r, c), ids in cells.items():
        counts[r, c] = sum(many.get(i, 1) for i in ids) if many else len(ids)
    what = STORE_LINKS if stands_for is not None else rows.target.value
    title = f"{what.capitalize()}: {rows.describe()} by {columns.describe()}"
    if scope:
        title += f" ({scope})"
    return HeatMatrix(title, [label for _, label in row_order],
                      [label for _, label in col_order], counts,
                      {k: tuple(v) for k, v in cells.items()},
                      sum(1 for k, _ in row_order if k not in (None, "other")),
                      sum(1 for k, _ in col_order if k not in (None, "other")), stands_for)


def _top_for(field: Field, top: int | None) -> int | None:
    """Hours of the day and days of the week are always shown whole: a cycle with gaps lies."""
    return None if field.bin in (DateBin.HOUR, DateBin.WEEKDAY) else top


def _axis(keys: list, weights: list[int], top: int | None) -> list[tuple[object, str]]:
    """(group key, label) for one axis: top values (by their items' weights), then Other,
    then (none)."""
    totals: dict[tuple, int] = {}
    labels: dict[tuple, str] = {}
    missing = False
    for key, weight in zip(keys, weights, strict=True):
        if key is None:
            missing = True
            continue
        totals[key[0]] = totals.get(key[0], 0) + weight
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
