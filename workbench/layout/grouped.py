"""Grouped layout: one cluster per entity type (or per value of an attribute).

Analysts use it to see "all the phones here, all the accounts there". Each group is laid out
by force on the links inside it, then the groups are packed side by side, largest first, with
a wider gap between groups than inside them so the clusters read as separate.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.layout.force import component_block
from workbench.layout.graph import (
    SPACING,
    Block,
    Cancelled,
    LayoutInput,
    Positions,
    Progress,
    check,
    components,
    finish,
    grid_block,
    pack,
    snapshot,
)
from workbench.model import Chart

MISSING = "(none)"


def group_keys(data: LayoutInput, attribute: str | None) -> list[str]:
    if attribute:
        return [MISSING if v is None or v == "" else str(v) for v in data.values]
    return list(data.types)


def grouped_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                   attribute: str | None = None, progress: Progress = None,
                   cancelled: Cancelled = None, spacing: float = SPACING) -> Positions:
    """Group by entity type, or by ``attribute``'s value when one is given."""
    data = snapshot(chart, entity_ids, attribute)
    if attribute and not data.values:  # a snapshot taken without the attribute
        raise ValueError(f"the layout input has no values of attribute {attribute!r}")
    keys = group_keys(data, attribute)
    groups: dict[str, list[int]] = {}
    for v, key in enumerate(keys):
        groups.setdefault(key, []).append(v)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    graph = data.graph()
    blocks: list[Block] = []
    for k, (_, members) in enumerate(ordered):
        check(cancelled, progress, 0.95 * k / max(len(ordered), 1))
        sub = graph.induced_subgraph(members)  # vertices renumbered in sorted order
        inner: list[Block] = []
        singles: list[int] = []
        for part in components(sub):
            if len(part) == 1:
                singles.append(members[part[0]])
            else:
                block = component_block(sub, part, spacing=spacing)
                inner.append([(members[v], x, y) for v, x, y in block])
        if singles:
            singles.sort(key=lambda v: data.ids[v])
            inner.append(grid_block(singles, spacing * 0.7))
        placed = pack(inner, spacing * 0.7)
        blocks.append([(v, x, y) for v, (x, y) in placed.items()])
    check(cancelled, progress, 1.0)
    return finish(data, pack(blocks, spacing * 2.5))
