"""The selection shared by the chart view, histograms, the map and the lists.

It lives beside the model (not in a widget) so that a click on a histogram bar and a click on
the chart change the same thing, and every view follows by listening to ``changed``.
"""

from __future__ import annotations

from collections.abc import Iterable

from psygnal import Signal


class Selection:
    changed = Signal()

    def __init__(self) -> None:
        self._entities: frozenset[str] = frozenset()
        self._links: frozenset[str] = frozenset()

    @property
    def entities(self) -> frozenset[str]:
        return self._entities

    @property
    def links(self) -> frozenset[str]:
        return self._links

    def set(self, entities: Iterable[str] = (), links: Iterable[str] = ()) -> None:
        new_entities, new_links = frozenset(entities), frozenset(links)
        if (new_entities, new_links) != (self._entities, self._links):
            self._entities, self._links = new_entities, new_links
            self.changed.emit()

    def add(self, entities: Iterable[str] = (), links: Iterable[str] = ()) -> None:
        self.set(self._entities | set(entities), self._links | set(links))

    def clear(self) -> None:
        self.set()

    def discard_missing(self, entity_ids: Iterable[str], link_ids: Iterable[str]) -> None:
        """Drop ids that are no longer in the chart (after a delete)."""
        self.set(self._entities - set(entity_ids), self._links - set(link_ids))

    def __bool__(self) -> bool:
        return bool(self._entities or self._links)
