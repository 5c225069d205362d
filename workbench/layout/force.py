"""Force-directed layout: igraph's Fruchterman-Reingold, one connected component at a time.

igraph lays out 20,000 nodes in about a second (networkx's spring_layout takes minutes at
5,000). Components are laid out separately and packed side by side, so a handful of stray
pairs do not push the main network into a corner, and the result is scaled so that linked
entities sit a readable distance apart whatever the chart's size.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Sequence

import igraph
import numpy as np

from workbench.layout.clearing import CLEARING_ROUNDS, clear_links
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
    needs_layout,
    pack,
    scale_to_spacing,
    snapshot,
)
from workbench.layout.spread import label_width, remove_overlaps, spread
from workbench.model import Chart

_SEEDED = threading.Lock()


def component_block(graph: igraph.Graph, vertices: list[int], seed: int = 1,
                    spacing: float = SPACING, labels: Sequence[str] = (),
                    iterations: int | None = None) -> Block:
    """Fruchterman-Reingold drawing of the subgraph on ``vertices`` (a connected set);
    with ``labels`` (by vertex), entities are then moved until no two labels overlap.
    ``iterations``: Fruchterman-Reingold's (by default 500, or 300 past 2,000 entities)."""
    vertices = sorted(vertices)
    if len(vertices) == 1:
        return [(vertices[0], 0.0, 0.0)]
    if len(vertices) == 2:
        return [(vertices[0], 0.0, 0.0), (vertices[1], spacing, 0.0)]
    sub = graph.induced_subgraph(vertices)  # keeps vertex order, renumbered from 0
    rng = np.random.default_rng(seed)
    # igraph's own random start: a square of side sqrt(n). A wider start (twice this, as
    # before) makes its grid Fruchterman-Reingold run 5-25x longer on big charts.
    start = rng.uniform(-0.5, 0.5, size=(len(vertices), 2)) * np.sqrt(len(vertices))
    niter = iterations or (500 if len(vertices) <= 2000 else 300)
    with _SEEDED:  # igraph draws from one global generator: seed it for repeatable layouts
        igraph.set_random_number_generator(random.Random(seed))
        try:
            layout = sub.layout_fruchterman_reingold(niter=niter, seed=start.tolist(),
                                                     grid="auto")
        finally:
            igraph.set_random_number_generator(random)
    block = [(v, float(x), float(y)) for v, (x, y) in zip(vertices, layout.coords,
                                                           strict=True)]
    edges = sub.get_edgelist()  # by index into the block, which is in vertex order
    block = spread(scale_to_spacing(block, edges, spacing))
    if labels:
        widths = {v: label_width(labels[v]) for v in vertices}
        block = remove_overlaps(block, widths)
        for _ in range(CLEARING_ROUNDS):  # the boxes' moves may put one back on a link
            cleared = clear_links(block, edges)
            if cleared is block:
                break
            block = remove_overlaps(cleared, widths)
    else:
        block = clear_links(block, edges)
    return block


def force_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                 progress: Progress = None, cancelled: Cancelled = None,
                 seed: int = 1, spacing: float = SPACING, iterations: int | None = None
                 ) -> Positions:
    """Positions for every entity (or for ``entity_ids``) by a force-directed layout
    (``iterations``: see component_block)."""
    data = snapshot(chart, entity_ids)
    graph = data.graph()
    parts = components(graph)
    blocks: list[Block] = []
    singles: list[int] = []
    for k, part in enumerate(parts):
        check(cancelled, progress, 0.95 * k / max(len(parts), 1))
        if len(part) == 1:
            singles.append(part[0])
        else:
            blocks.append(component_block(graph, part, seed, spacing, data.labels,
                                          iterations))
    if singles:
        blocks.append(grid_block(sorted(singles, key=lambda v: (data.types[v], data.ids[v]))))
    check(cancelled, progress, 1.0)
    return finish(data, pack(blocks, spacing))


def place_unplaced(chart: Chart) -> bool:
    """Lay out a chart whose file gave no usable positions (see needs_layout: a networkx
    script's GML, a CSV edge list) by force, as the window does on opening it, so ``convert``
    and ``export`` never draw every entity on one spot. True when it moved them."""
    if not needs_layout(chart):
        return False
    chart.move_entities(force_layout(chart))
    return True
