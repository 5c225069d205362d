"""Layouts: pure functions from a chart to ``{entity_id: (x, y)}``. No Qt.

Every layout takes a :class:`~workbench.model.Chart` or a :class:`LayoutInput` snapshot (take
the snapshot on the GUI thread, run the layout in a worker), plus keyword options:
``entity_ids`` (lay out only these), ``progress(fraction)`` and ``cancelled() -> bool``
(raises :class:`LayoutCancelled`). Apply the result with one MoveEntitiesCommand.
"""

from collections.abc import Callable
from importlib import import_module
from typing import Any

from workbench.layout.graph import LayoutCancelled, LayoutInput, Positions, needs_layout

# Where each layout lives. The modules (igraph, scipy) are imported when a layout first runs,
# not with this package: the window imports it to build its menus, and igraph alone (which
# imports matplotlib's pyplot) was a third of the window's start.
_FUNCTIONS = {
    "circular_layout": "circular",
    "force_layout": "force",
    "place_unplaced": "force",
    "grouped_layout": "grouped",
    "hierarchy_layout": "hierarchy",
    "peacock_layout": "peacock",
    "time_layout": "timeline",
}


def __getattr__(name: str) -> Any:
    """``workbench.layout.force_layout`` and the others, imported on first use."""
    module = _FUNCTIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.layout' has no attribute {name!r}")
    function = getattr(import_module(f"workbench.layout.{module}"), name)
    globals()[name] = function
    return function


def _layout(name: str) -> Callable[..., Positions]:
    """A layout by its function's name, importing its module when it first runs."""

    def run(*args: Any, **kwargs: Any) -> Positions:
        return __getattr__(name)(*args, **kwargs)

    run.__name__ = run.__qualname__ = name
    return run


LAYOUTS: dict[str, Callable[..., Positions]] = {
    "force": _layout("force_layout"),
    "hierarchy": _layout("hierarchy_layout"),
    "circular": _layout("circular_layout"),
    "grouped": _layout("grouped_layout"),
    "peacock": _layout("peacock_layout"),
    "time": _layout("time_layout"),
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
