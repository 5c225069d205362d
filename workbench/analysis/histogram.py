"""Histogram counts: how many entities or links fall in each value of a field.

"The histogram function helps us really hone in on the countries and towns that are showing up
the most regularly." Every bar keeps the ids of its items, so a click on a bar selects them on
the chart, and the part of a bar that is selected can be drawn highlighted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from workbench.analysis.fields import (
    NONE_LABEL,
    OTHER_LABEL,
    DateBin,
    Field,
    Key,
    Keyer,
    Target,
    all_date_keys,
    items_of,
    number_bin_keys,
)
from workbench.analysis.graph import AnalysisError
from workbench.model import Chart, Kind

STORE_LINKS = "store links"  # what a store chart's links are counted as by ``stands_for``


class SortBy(StrEnum):
    COUNT = "count"  # biggest first
    VALUE = "value"  # in value order: A-Z, smallest number first, oldest date first


class BarKind(StrEnum):
    VALUE = "value"
    OTHER = "other"  # the values after the top N, grouped
    NONE = "none"  # items with no value


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    ids: tuple[str, ...]
    value: float  # item count, or the summed weight
    kind: BarKind = BarKind.VALUE


@dataclass(frozen=True)
class Histogram:
    title: str
    field: Field
    bars: list[Bar]
    counted: int  # items considered (with or without a value)
    weight: str | None = None
    sort: SortBy = SortBy.COUNT
    weights: dict[str, float] = field(default_factory=dict, repr=False)
    unit: str = ""  # what is counted when not the field's target: "store links"

    @property
    def measure_label(self) -> str:
        return f"Sum of {self.weight}" if self.weight else \
            f"Number of {self.unit or self.field.target.value}"

    @property
    def standing_for(self) -> float:
        """With ``unit``, how many store links the counted links stand for in all."""
        return sum(self.weights.values()) if self.unit else 0.0

    def selected_values(self, selected: Collection[str]) -> list[float]:
        """For each bar, the count (or weight) of its items that are in ``selected``."""
        chosen = set(selected)
        if not chosen:
            return [0.0] * len(self.bars)
        return [sum(self._weight(i) for i in bar.ids if i in chosen) for bar in self.bars]

    def _weight(self, item_id: str) -> float:
        if self.weight:
            return self.weights.get(item_id, 0.0)
        return self.weights.get(item_id, 1.0)

    def rows(self) -> list[tuple[str, float]]:
        return [(bar.label, bar.value) for bar in self.bars]


def histogram(chart: Chart, field: Field, *, among: Iterable[str] | None = None,
              sort: SortBy | str = SortBy.COUNT, top: int | None = None,
              weight: str | None = None, scope: str = "",
              stands_for: Mapping[str, float] | None = None) -> Histogram:
    """Count the items (all, or those ``among``) by ``field``.

    ``top`` keeps the N biggest values and groups the rest as "Other"; "(none)" holds items
    without a value and is always shown last. With ``weight`` (a number attribute, such as a
    count of victims) bars sum that attribute instead of counting items; items without it add
    nothing and the title says so. ``scope`` names the items for the title ("selection").
    ``stands_for`` counts each link of a chart drawn from a store for the store links it
    stands for (a line "37 Calls" counts 37; a link not in it, one): which handsets call
    most is a count of calls, not of the pairs that called.
    """
    sort = SortBy(sort)
    if top is not None and top < 1:
        raise AnalysisError("top must be 1 or more")
    if stands_for is not None and (weight or field.target is not Target.LINKS):
        raise AnalysisError("store links are counted for links, without a weight")
    items = items_of(chart, field.target, among)
    keyer = Keyer(chart, field, items)
    weights: dict[str, float] = {}
    if stands_for is not None:
        weights = {item.id: float(stands_for[item.id]) for item in items
                   if item.id in stands_for}
    elif weight:
        for item in items:
            value = item.attributes.get(weight)
            if value is not None and value.kind is Kind.NUMBER:
                weights[item.id] = float(value.value)
    groups: dict[tuple, list[str]] = {}
    labels: dict[tuple, str] = {}
    missing: list[str] = []
    for item in items:
        key = keyer.key(item.id)
        if key is None:
            missing.append(item.id)
            continue
        groups.setdefault(key[0], []).append(item.id)
        labels.setdefault(key[0], key[1])

    def amount(ids: Iterable[str]) -> float:
        if weight:
            return sum(weights.get(i, 0.0) for i in ids)
        return sum(weights.get(i, 1.0) for i in ids) if weights else float(len(list(ids)))

    keys = list(groups)
    if sort is SortBy.COUNT:
        keys.sort(key=lambda k: (-amount(groups[k]), k))
    else:
        keys.sort()
    rest: list[str] = []
    if top is not None and len(keys) > top:
        kept = sorted(keys, key=lambda k: (-amount(groups[k]), k))[:top]
        kept_set = set(kept)
        rest = [i for k in keys if k not in kept_set for i in groups[k]]
        rest_count = len(keys) - top
        keys = [k for k in keys if k in kept_set]
    elif sort is SortBy.VALUE and keys:
        keys = _with_empty_bins(keyer, keys, labels)
    bars = [Bar(labels[k], tuple(groups.get(k, ())), amount(groups.get(k, ()))) for k in keys]
    if rest:
        bars.append(Bar(f"{OTHER_LABEL} ({rest_count:,} values)", tuple(rest), amount(rest),
                        BarKind.OTHER))
    if missing:
        bars.append(Bar(NONE_LABEL, tuple(missing), amount(missing), BarKind.NONE))
    unit = STORE_LINKS if stands_for is not None else ""
    what = f"{weight} (sum)" if weight else (unit or field.target.value).capitalize()
    return Histogram(_title(what, field, top if rest else None, scope), field, bars,
                     len(items), weight, sort, weights, unit)


def _with_empty_bins(keyer: Keyer, keys: list[tuple], labels: dict[tuple, str]) -> list[tuple]:
    """Fill the gaps of a time or number axis: a month with no calls is a bar of 0, not a
    missing bar that makes two far-apart months look adjacent."""
    every: list[Key] | None = None
    if keyer.edges is not None:
        every = number_bin_keys(keyer.edges)
    elif keys[0][0] == 3 and keys[-1][0] == 3:
        bin = keyer.field.bin or DateBin.MONTH
        every = all_date_keys((keys[0], ""), (keys[-1], ""), bin)
    if every is None:
        return keys
    for sort_key, label in every:
        labels.setdefault(sort_key, label)
    merged = sorted(set(keys) | {k for k, _ in every})
    return merged


def _title(what: str, field: Field, top: int | None, scope: str) -> str:
    title = f"{what} by {field.describe()}"
    if top:
        title += f", top {top}"
    if scope:
        title += f" ({scope})"
    return title


__all__ = ["STORE_LINKS", "Bar", "BarKind", "Histogram", "SortBy", "Target", "histogram"]
