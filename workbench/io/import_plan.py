"""The ImportPlan: what an import will do to a chart, as plain data, with exact apply/revert.

Built off the GUI thread by ``build_import``; applied on the GUI thread in a few batch calls,
so that the views hear one "entities added" and one "links added", and reverted exactly, which
makes a whole import one undo step (``ImportCommand`` in the wizard module).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from workbench.io.import_report import ImportReport
from workbench.model import (
    Catalogue,
    Chart,
    ChartError,
    Entity,
    EntityType,
    Link,
    LinkType,
    SourceRecord,
    Value,
)

LARGE_ITEMS = 100_000  # from this many items, pause the cycle collector (see gc_paused)


@dataclass(slots=True)
class ImportPlan:
    """Everything an import will do to a chart, as plain data; apply/revert are exact inverses.
    """

    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    absorbed: dict[str, tuple[list[SourceRecord], dict[str, Value]]] = field(
        default_factory=dict)
    entity_types: list[EntityType] = field(default_factory=list)
    link_types: list[LinkType] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)
    _restore: dict[str, dict] = field(default_factory=dict)
    _old_catalogue: Catalogue | None = None

    def apply(self, chart: Chart) -> None:
        """Add the new items and the additions to merged entities (checks first, so a chart
        that changed since the plan was built is refused before anything changes)."""
        for e in self.entities:
            if e.id in chart.entities or e.id in chart.links:
                raise ChartError(f"id {e.id!r} is already in the chart; build the import again")
            if e.identity is not None and chart.find(e.type, e.identity) is not None:
                raise ChartError(f"a {e.type} {e.label!r} was added since the import was "
                                 "prepared; build the import again")
        taken = next((lk.id for lk in self.links
                      if lk.id in chart.links or lk.id in chart.entities), None)
        if taken is not None:
            raise ChartError(f"id {taken!r} is already in the chart; build the import again")
        for entity_id in self.absorbed:
            chart.entity(entity_id)
        if self.entity_types or self.link_types:
            self._old_catalogue = chart.catalogue
            chart.add_types(self.entity_types, self.link_types)
        with gc_paused(len(self.links) + len(self.entities) > LARGE_ITEMS):
            chart.add_entities(self.entities)
            chart.add_links(self.links)
        self._restore = {}
        for entity_id, (records, attributes) in self.absorbed.items():
            entity = chart.entity(entity_id)
            changes: dict = {}
            if records:
                changes["provenance"] = [*entity.provenance, *records]
            missing = {k: v for k, v in attributes.items() if k not in entity.attributes}
            if missing:
                changes["attributes"] = {**entity.attributes, **missing}
            if changes:
                self._restore[entity_id] = chart.update_entity(entity_id, **changes)

    def revert(self, chart: Chart) -> None:
        for entity_id, old in self._restore.items():
            chart.update_entity(entity_id, **old)
        chart.remove_links([lk.id for lk in self.links])
        chart.remove_entities([e.id for e in self.entities])
        if self._old_catalogue is not None:
            chart.catalogue = self._old_catalogue
            chart.types_changed.emit()
            self._old_catalogue = None
        self._restore = {}



@contextmanager
def gc_paused(large: bool = True) -> Iterator[None]:
    """For a ``large`` import, pause Python's cycle collector, then freeze what was made.

    Without this the collector rescans the growing heap again and again (a third of a large
    import), and once more in full when it is switched back on. What an import makes (items,
    values, source records) holds no reference cycles, so it is moved to the permanent
    generation (gc.freeze): reference counting still frees it when the chart drops it. The
    price: a reference cycle alive now that becomes garbage later is never collected.
    """
    if not large:  # small imports (the wizard's live count) leave the collector alone
        yield
        return
    was_enabled = gc.isenabled()
    gc.collect()  # cheap once earlier imports are frozen; freezing then keeps no garbage
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
