"""Layouts: pure functions from a chart to ``{entity_id: (x, y)}``. No Qt.

Every layout takes a :class:`~workbench.model.Chart` or a :class:`LayoutInput` snapshot (take
the snapshot on the GUI thread, run the layout in a worker), plus keyword options:
``entity_ids`` (lay out only these), ``progress(fraction)`` and ``cancelled() -> bool``
(raises :class:`LayoutCancelled`). Apply the result with one MoveEntitiesCommand.
"""

from collections.abc import Callable

from workbench.layout.circular import circular_layout
from workbench.layout.force import force_layout, place_unplaced
from workbench.layout.graph import LayoutCancelled, LayoutInput, Positions, needs_layout
from workbench.layout.grouped import grouped_layout
from workbench.layout.hierarchy import hierarchy_layout
from workbench.layout.peacock import peacock_layout
from workbench.layout.timeline import time_layout

LAYOUTS: dict[str, Callable[..., Positions]] = {
    "force": force_layout,
    "hierarchy": hierarchy_layout,
    "circular": circular_layout,
    "grouped": grouped_layout,
    "peacock": peacock_layout,
    "time": time_layout,
}

TITLES = {
    "force": "Force-directed",
    "hierarchy": "Hierarchy (top-down)",
    "circular": "Circular",
    "grouped": "Grouped by type",
    "peacock": "Peacock (leaves around hubs)",
    "time": "Time-ordered",
}

__all__ = [
    "LAYOUTS",
    "TITLES",
    "LayoutCancelled",
    "LayoutInput",
    "Positions",
    "circular_layout",
    "force_layout",
    "grouped_layout",
    "hierarchy_layout",
    "needs_layout",
    "peacock_layout",
    "place_unplaced",
    "time_layout",
]
