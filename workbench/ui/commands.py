"""Undo commands: each calls one plain Chart method in redo and its inverse in undo.

Every user edit goes through one of these on the window's QUndoStack, so "modified" comes from
the stack and one Ctrl+Z undoes one user action (a drag, a cascade delete, a whole import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from workbench.model import Chart, Entity, Link, Value
from workbench.model.merge import MergeRecord, Unmerged


class AddItemsCommand(QUndoCommand):
    """Add new entities and links (paste, add entity, draw link)."""

    def __init__(self, chart: Chart, entities: Iterable[Entity] = (),
                 links: Iterable[Link] = (), text: str = "Add") -> None:
        super().__init__(text)
        self.chart, self.entities, self.links = chart, list(entities), list(links)

    def redo(self) -> None:
        self.chart.add_entities(self.entities)
        self.chart.add_links(self.links)

    def undo(self) -> None:
        self.chart.remove_links(lk.id for lk in self.links)
        self.chart.remove_entities(e.id for e in self.entities)


class RemoveItemsCommand(QUndoCommand):
    """Delete entities (with every link touching them) and links, as one step."""

    def __init__(self, chart: Chart, entity_ids: Iterable[str] = (),
                 link_ids: Iterable[str] = (), text: str = "Delete") -> None:
        super().__init__(text)
        self.chart = chart
        self.entity_ids, self.link_ids = list(entity_ids), list(link_ids)
        self._entities: list[Entity] = []
        self._links: list[Link] = []

    def redo(self) -> None:
        cascade = {lk.id for eid in self.entity_ids for lk in self.chart.links_of(eid)}
        own = [lid for lid in self.link_ids if lid not in cascade]
        self._links = self.chart.remove_links(own)
        self._entities, linked = self.chart.remove_entities(self.entity_ids)
        self._links += linked

    def undo(self) -> None:
        self.chart.add_entities(self._entities)
        self.chart.add_links(self._links)


class MoveEntitiesCommand(QUndoCommand):
    """A drag or a layout: all positions change in one step."""

    def __init__(self, chart: Chart, new: Mapping[str, tuple[float, float]],
                 old: Mapping[str, tuple[float, float]] | None = None,
                 text: str = "Move") -> None:
        super().__init__(text)
        self.chart, self.new = chart, dict(new)
        self.old = dict(old) if old is not None else {
            i: (chart.entity(i).x, chart.entity(i).y) for i in self.new}

    def redo(self) -> None:
        self.chart.move_entities(self.new)

    def undo(self) -> None:
        self.chart.move_entities(self.old)


class UpdateItemCommand(QUndoCommand):
    """Change fields of one entity or link (label, type, date, style, direction...)."""

    def __init__(self, chart: Chart, item_id: str, changes: Mapping[str, Any],
                 text: str = "Edit") -> None:
        super().__init__(text)
        self.chart, self.item_id, self.changes = chart, item_id, dict(changes)
        self._old: dict[str, Any] = {}

    def _update(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        if self.item_id in self.chart.entities:
            return self.chart.update_entity(self.item_id, **changes)
        return self.chart.update_link(self.item_id, **changes)

    def redo(self) -> None:
        self._old = self._update(self.changes)

    def undo(self) -> None:
        self._update(self._old)


class SetAttributesCommand(QUndoCommand):
    """Set (or with None, remove) attributes on many items: analysis measures, bulk edits."""

    def __init__(self, chart: Chart, values: Mapping[str, Mapping[str, Value | None]],
                 text: str = "Set attributes") -> None:
        super().__init__(text)
        self.chart = chart
        self.values = {item_id: dict(v) for item_id, v in values.items()}
        self._old: dict[str, dict[str, Value]] = {}

    def _item(self, item_id: str) -> Entity | Link:
        return self.chart.entities.get(item_id) or self.chart.link(item_id)

    def _set(self, item_id: str, attributes: dict[str, Value]) -> None:
        if item_id in self.chart.entities:
            self.chart.update_entity(item_id, attributes=attributes)
        else:
            self.chart.update_link(item_id, attributes=attributes)

    def redo(self) -> None:
        self._old = {}
        for item_id, values in self.values.items():
            current = self._item(item_id).attributes
            self._old[item_id] = current
            updated = {**current, **{k: v for k, v in values.items() if v is not None}}
            for name in (k for k, v in values.items() if v is None):
                updated.pop(name, None)
            self._set(item_id, updated)

    def undo(self) -> None:
        for item_id, attributes in self._old.items():
            self._set(item_id, attributes)


class SetChartSettingCommand(QUndoCommand):
    """Replace one entry of ``chart.settings`` (formatting rules, chart display, options).

    Goes through ``Chart.set_setting``, so the scene and anything else following
    ``settings_changed`` redraws on redo and undo alike. A value of None removes the entry.
    ``after`` is kept for callers written before settings had a signal; nothing needs it now.
    """

    def __init__(self, chart: Chart, key: str, value: Any,
                 after: Callable[[], object] | None = None,
                 text: str = "Change settings") -> None:
        super().__init__(text)
        self.chart, self.key, self.value, self.after = chart, key, value, after
        self._old = chart.settings.get(key)

    def _set(self, value: Any) -> Any:
        old = self.chart.set_setting(self.key, value)
        if self.after is not None:
            self.after()
        return old

    def redo(self) -> None:
        self._old = self._set(self.value)

    def undo(self) -> None:
        self._set(self._old)


class SetMetadataCommand(QUndoCommand):
    """Change the chart's title, author, marking, description or phone region."""

    def __init__(self, chart: Chart, changes: Mapping[str, Any],
                 text: str = "Chart properties") -> None:
        super().__init__(text)
        self.chart, self.changes = chart, dict(changes)
        self._old: dict[str, Any] = {}

    def redo(self) -> None:
        self._old = {name: self.chart.set_metadata(name, value)
                     for name, value in self.changes.items()}

    def undo(self) -> None:
        for name, value in self._old.items():
            self.chart.set_metadata(name, value)


class MergeCommand(QUndoCommand):
    """Merge Entities, or Accept in Find Duplicates: the entities become one (the record's
    survivor); undo gives them back exactly. Plan the record (and check it) before pushing."""

    def __init__(self, chart: Chart, record: MergeRecord, text: str = "Merge entities") -> None:
        super().__init__(text)
        self.chart, self.record = chart, record

    def redo(self) -> None:
        self.chart.merge(self.record)

    def undo(self) -> None:
        self.chart.unmerge(self.record.survivor)


class UnmergeCommand(QUndoCommand):
    """Unmerge: the latest merge into the entity is taken back; undo merges it again exactly
    as it was (with any edit made to the merged entity since). Ask
    ``workbench.model.merge.unmerge_problem`` before pushing."""

    def __init__(self, chart: Chart, entity_id: str, text: str = "Unmerge") -> None:
        super().__init__(text)
        self.chart, self.entity_id = chart, entity_id
        self._done: Unmerged | None = None

    def redo(self) -> None:
        self._done = self.chart.unmerge(self.entity_id)

    def undo(self) -> None:
        if self._done is not None:
            self.chart.undo_unmerge(self._done)


class RejectPairCommand(QUndoCommand):
    """Reject in Find Duplicates: the chart remembers that the two are not one."""

    def __init__(self, chart: Chart, a: str, b: str, text: str = "Not the same") -> None:
        super().__init__(text)
        self.chart, self.a, self.b = chart, a, b
        self._was = False

    def redo(self) -> None:
        self._was = self.chart.set_rejected(self.a, self.b)

    def undo(self) -> None:
        self.chart.set_rejected(self.a, self.b, self._was)


class AddFromStoreCommand(QUndoCommand):
    """Add items drawn from a store and the chart's record of its store (the store id of
    every item, ``settings["store"]``) together: one Ctrl+Z takes both back, so the chart
    never remembers store ids of items it no longer holds."""

    def __init__(self, chart: Chart, entities: Iterable[Entity], links: Iterable[Link],
                 key: str, setting: Any, text: str = "Add from store") -> None:
        super().__init__(text)
        self.chart, self.entities, self.links = chart, list(entities), list(links)
        self.key, self.setting = key, setting
        self._old: Any = None

    def redo(self) -> None:
        self.chart.add_entities(self.entities)
        self.chart.add_links(self.links)
        self._old = self.chart.set_setting(self.key, self.setting)

    def undo(self) -> None:
        self.chart.remove_links(lk.id for lk in self.links)
        self.chart.remove_entities(e.id for e in self.entities)
        self.chart.set_setting(self.key, self._old)
