"""What a layout works on: a plain snapshot of the chart's entities and links.

Layouts run in a worker thread while the analyst keeps using the window, so they must not read
the live Chart (which the GUI thread may change). :meth:`LayoutInput.from_chart` copies the few
things a layout needs, on the GUI thread, in a few milliseconds even for 10,000 entities. The
helpers here are shared by the layouts: igraph graphs, connected components, packing
components side by side, and placing the result where the old drawing was.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.model import Chart, Direction

if TYPE_CHECKING:
    import igraph

Positions = dict[str, tuple[float, float]]
Progress = Callable[[float], None] | None
Cancelled = Callable[[], bool] | None

SPACING = 130.0  # typical distance between linked entities, in scene units


class LayoutCancelled(Exception):
    """Raised inside a layout when its ``cancelled`` callable returned True."""


@dataclass
class LayoutInput:
    """Entities (by index) and the links among them, copied out of a chart."""

    ids: list[str]
    types: list[str]
    positions: list[tuple[float, float]]
    edges: list[tuple[int, int]]  # one per link, (from, to) by its direction
    directed: list[bool]  # per edge: does the link have a direction?
    values: list[Any] = field(default_factory=list)  # the grouping attribute, if asked
    dates: list[Any] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    @classmethod
    def from_chart(cls, chart: Chart, entity_ids: Iterable[str] | None = None,
                   attribute: str | None = None) -> LayoutInput:
        """Snapshot all entities, or only ``entity_ids`` and the links among them."""
        if entity_ids is None:
            entities = list(chart.entities.values())
        else:
            entities = [chart.entities[i] for i in dict.fromkeys(entity_ids)
                        if i in chart.entities]
        index = {e.id: i for i, e in enumerate(entities)}
        edges, directed = [], []
        for link in chart.links.values():
            a, b = index.get(link.end1), index.get(link.end2)
            if a is None or b is None or a == b:
                continue
            if link.direction is Direction.REVERSE:
                a, b = b, a
            edges.append((a, b))
            directed.append(link.direction in (Direction.FORWARD, Direction.REVERSE))
        values = []
        if attribute:
            for e in entities:
                found = e.attributes.get(attribute)
                values.append(None if found is None else found.display())
        return cls(ids=[e.id for e in entities], types=[e.type for e in entities],
                   positions=[(e.x, e.y) for e in entities], edges=edges, directed=directed,
                   values=values, dates=[e.date for e in entities],
                   labels=[e.label for e in entities])

    def __len__(self) -> int:
        return len(self.ids)

    def graph(self, directed: bool = False) -> igraph.Graph:
        """An igraph graph of the distinct pairs (parallel links count once)."""
        import igraph  # here, not at the top: the window starts without igraph

        if directed:
            pairs = list(dict.fromkeys(self.edges))
        else:
            pairs = list(dict.fromkeys((min(a, b), max(a, b)) for a, b in self.edges))
        return igraph.Graph(n=len(self.ids), edges=pairs, directed=directed)


def snapshot(chart_or_input: Chart | LayoutInput, entity_ids: Iterable[str] | None = None,
             attribute: str | None = None) -> LayoutInput:
    if isinstance(chart_or_input, LayoutInput):
        return chart_or_input
    return LayoutInput.from_chart(chart_or_input, entity_ids, attribute)


def check(cancelled: Cancelled, progress: Progress = None, fraction: float | None = None) -> None:
    if cancelled is not None and cancelled():
        raise LayoutCancelled("layout cancelled")
    if progress is not None and fraction is not None:
        progress(fraction)


def components(graph: igraph.Graph) -> list[list[int]]:
    """Connected components, largest first (weakly connected for directed graphs)."""
    parts = [list(c) for c in graph.connected_components(mode="weak")]
    parts.sort(key=len, reverse=True)
    return parts


Block = list[tuple[int, float, float]]  # (vertex index, x, y) of one component's drawing


def pack(blocks: Sequence[Block], gap: float = SPACING) -> dict[int, tuple[float, float]]:
    """Place component drawings side by side in rows (largest first), about as wide as tall.

    Without packing, force layouts push small components and single entities far away from
    the main network, and zoom to fit then shows a speck.
    """
    boxes = []
    for block in blocks:
        xs = [x for _, x, _ in block]
        ys = [y for _, _, y in block]
        boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    area = sum((w + gap) * (h + gap) for _, _, w, h in boxes)
    row_width = max(math.sqrt(area) * 1.3, max((w for *_, w, _ in boxes), default=0.0))
    out: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, (left, top, w, h) in zip(blocks, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for vertex, vx, vy in block:
            out[vertex] = (x + vx - left, y + vy - top)
        x += w + gap
        row_height = max(row_height, h)
    return out


GRID_X = 150.0  # grid cells are wider than tall: labels run across
GRID_Y = 95.0


def grid_block(vertices: Sequence[int], scale: float = 1.0) -> Block:
    """Unlinked entities in a roughly square grid, in the order given."""
    gx, gy = GRID_X * scale, GRID_Y * scale
    columns = max(1, math.ceil(math.sqrt(len(vertices) * gy / gx)))
    return [(v, (i % columns) * gx, (i // columns) * gy) for i, v in enumerate(vertices)]


def scale_to_spacing(block: Block, edges: Sequence[tuple[int, int]],
                     spacing: float = SPACING) -> Block:
    """Scale a drawing so that linked entities sit about ``spacing`` apart (median), and so
    that each entity has at least about ``spacing`` x 0.8 squared of room on average (hubs
    with thousands of links would otherwise stretch the median link and crush the rest).
    ``edges`` are pairs of indices into ``block``."""
    if not block:
        return block
    xy = np.array([(x, y) for _, x, y in block], dtype=float)
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    lengths = np.hypot(*(xy[pairs[:, 1]] - xy[pairs[:, 0]]).T) if len(pairs) else np.zeros(0)
    median = float(np.sort(lengths)[len(lengths) // 2]) if len(lengths) else 0.0
    factor = spacing / median if median > 1e-9 else 1.0
    # A drawing in a line (a chain) has no area: count it as one link length thick.
    width, height = np.ptp(xy, axis=0)
    area = max(float(width), median) * max(float(height), median)
    if area > 1e-9:
        factor = max(factor, math.sqrt(len(block) * (spacing * 0.8) ** 2 / area))
    return [(v, float(x), float(y)) for (v, _, _), (x, y) in zip(block, (xy * factor).tolist(),
                                                                    strict=True)]


def finish(data: LayoutInput, placed: dict[int, tuple[float, float]]) -> Positions:
    """Entity ids to positions, centred where the entities were before (the view stays put)."""
    if not placed:
        return {}
    vertices = np.fromiter(placed, dtype=np.int64, count=len(placed))
    return finish_arrays(data, vertices, np.array(list(placed.values()), dtype=float))


def finish_arrays(data: LayoutInput, vertices: np.ndarray, xy: np.ndarray) -> Positions:
    """:func:`finish` for layouts that compute with numpy: ``xy[k]`` is where entity
    ``vertices[k]`` goes (each entity at most once). Array arithmetic and one dict built,
    instead of a Python loop per entity (a third of the circular layout's time at 50,000
    entities). The arrays are worked on by column: numpy reduces a column of an (n, 2) array
    ten times faster than the whole array along its first axis."""
    if len(vertices) == 0:
        return {}
    every = len(vertices) == len(data.ids)
    # The old centre: Python's sum over the tuples is twice as fast as reading them into an
    # array first (and in entity order, so it does not depend on the layout's order).
    old = data.positions if every else [data.positions[i] for i in vertices.tolist()]
    centre = np.array([sum(map(itemgetter(0), old)), sum(map(itemgetter(1), old))]) / len(old)
    columns = xy[:, 0], xy[:, 1]
    shift = centre - [(c.min() + c.max()) / 2.0 for c in columns]
    moved = np.empty((2, len(vertices)))
    if every:
        # Every entity: the dict is built in entity order, which reads the ids in the order
        # they lie in memory (a third faster at 100,000 entities than in the layout's order).
        ids = data.ids
        for k in (0, 1):
            moved[k, vertices] = columns[k] + shift[k]
    else:
        ids = [data.ids[i] for i in vertices.tolist()]
        for k in (0, 1):
            moved[k] = columns[k] + shift[k]
    moved = np.round(moved, 1) + 0.0  # no -0.0
    xs, ys = moved.tolist()
    return dict(zip(ids, zip(xs, ys, strict=False), strict=False))  # equal by making


def needs_layout(chart: Chart, overlap: float = 0.2) -> bool:
    """True when the chart has no usable positions: an import that left many entities on the
    same spot (every entity at 0, 0, or stacked). The window lays such a chart out on open."""
    if len(chart.entities) < 2:
        return False
    spots = {(round(e.x / 10.0), round(e.y / 10.0)) for e in chart.entities.values()}
    return len(spots) < len(chart.entities) * (1.0 - overlap)
