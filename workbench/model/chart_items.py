"""A chart's entities and links, kept consistent: unique ids, one entity per (type, identity),
every link's ends present, and each entity's links at hand.

This is the part of the chart that undo commands change through plain batch operations; the
Chart (chart.py) adds the document around it: metadata, types, building by identity and the
decisions of entity resolution. Signals carry lists so that an import of 100,000 rows is one
emission, not 100,000.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields
from itertools import repeat
from operator import attrgetter
from typing import Any

from psygnal import Signal

from workbench.model.items import Entity, Link

ENTITY_FIELDS = frozenset(f.name for f in fields(Entity)) - {"id"}
LINK_FIELDS = frozenset(f.name for f in fields(Link)) - {"id", "end1", "end2"}


class ChartError(ValueError):
    """An operation that would make the chart inconsistent (unknown id, duplicate identity)."""


class ChartItems:
    """The entities and links with their indexes; every change is one batch and one signal."""

    entities_added = Signal(list)  # list[Entity]
    entities_removed = Signal(list)  # list[Entity]
    entity_changed = Signal(object, tuple)  # Entity, names of changed fields
    entities_moved = Signal(dict)  # {id: (x, y)}
    links_added = Signal(list)  # list[Link]
    links_removed = Signal(list)  # list[Link]
    link_changed = Signal(object, tuple)  # Link, names of changed fields

    def __init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        self._links: dict[str, Link] = {}
        # The ids of each entity's links; None until first needed after a big batch of links
        # (see add_links and _adjacency).
        self._links_of: dict[str, set[str]] | None = {}
        self._identities: dict[tuple[str, str], str] = {}

    # ----- reading -------------------------------------------------------------------------
    @property
    def entities(self) -> Mapping[str, Entity]:
        return self._entities

    @property
    def links(self) -> Mapping[str, Link]:
        return self._links

    def entity(self, entity_id: str) -> Entity:
        try:
            return self._entities[entity_id]
        except KeyError:
            raise ChartError(f"no entity with id {entity_id!r}") from None

    def link(self, link_id: str) -> Link:
        try:
            return self._links[link_id]
        except KeyError:
            raise ChartError(f"no link with id {link_id!r}") from None

    def links_of(self, entity_id: str) -> list[Link]:
        return [self._links[i] for i in self._adjacency().get(entity_id, ())]

    def _adjacency(self) -> dict[str, set[str]]:
        """Each entity's link ids, built now if a big batch of links dropped them."""
        if self._links_of is None:
            links_of = dict(zip(self._entities, map(set, repeat((), len(self._entities))),
                                strict=True))
            ids = list(self._links)
            for end in ("end1", "end2"):  # set.add called from C: a third less than a loop
                deque(map(set.add, map(links_of.__getitem__,
                                       map(attrgetter(end), self._links.values())), ids),
                      maxlen=0)
            self._links_of = links_of
        return self._links_of

    def links_between(self, a: str, b: str) -> list[Link]:
        return [lk for lk in self.links_of(a) if lk.other_end(a) == b]

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities.values())

    # ----- plain operations (what undo commands call) --------------------------------------
    def add_entities(self, entities: Iterable[Entity]) -> None:
        """Insert these exact entities (ids kept); refuses a duplicate id or identity, and
        then adds none of them. Checked as sets and added in bulk: a chart file of 300,000
        entities spent 0.3 s here entity by entity."""
        batch = list(entities)
        ids = [entity.id for entity in batch]
        keyed = [entity for entity in batch if entity.identity is not None]
        keys = [(entity.type, entity.identity) for entity in keyed]
        new_ids, new_keys = set(ids), set(keys)
        if (len(new_ids) != len(ids) or not new_ids.isdisjoint(self._entities)
                or not new_ids.isdisjoint(self._links) or len(new_keys) != len(keys)
                or not new_keys.isdisjoint(self._identities)):
            self._refuse_entities(batch)
        self._entities.update(zip(ids, batch, strict=True))
        self._identities.update(zip(keys, [entity.id for entity in keyed], strict=True))
        if not self._links and len(batch) * 2 >= len(self._entities):
            # A chart without links yet taking at least half its entities (a chart file, a
            # new import): their link lists are made when first asked for (_adjacency), as
            # after a big batch of links, instead of 300,000 empty sets that the links added
            # next would drop. (With links there, the index is kept: rebuilding it would
            # walk them all.)
            self._links_of = None
        elif self._links_of is not None:
            self._links_of.update(zip(ids, map(set, repeat((), len(ids))), strict=True))
        if batch:
            self.entities_added.emit(batch)

    def _refuse_entities(self, batch: list[Entity]) -> None:
        """Raise ChartError naming the first entity of ``batch`` that cannot be added."""
        seen: set[str] = set()
        keys: dict[tuple[str, str], str] = {}
        for entity in batch:
            if entity.id in self._entities or entity.id in self._links or entity.id in seen:
                raise ChartError(f"id {entity.id!r} is already in the chart")
            seen.add(entity.id)
            if entity.identity is not None:
                key = (entity.type, entity.identity)
                holder = self._identities.get(key, keys.get(key))
                if holder is not None:
                    raise ChartError(f"a {entity.type} with identity {entity.identity!r} is "
                                     f"already in the chart ({holder})")
                keys[key] = entity.id

    def add_links(self, links: Iterable[Link]) -> None:
        """Insert these exact links (ids kept); refuses a duplicate id or a missing end, and
        then adds none of them. The ids and ends are checked as sets in one pass each: a
        chart file of 551,000 links spent a fifth of its load here, link by link."""
        batch = list(links)
        ids = [link.id for link in batch]
        ends1 = [link.end1 for link in batch]
        ends2 = [link.end2 for link in batch]
        ends = set(ends1)
        ends.update(ends2)
        if not self._links:
            # The chart's first links (a chart file, an import into a new chart): the dict
            # they go into tells duplicate ids by its length, without a set of 600,000 ids
            # first; refused, it is emptied again.
            self._links.update(zip(ids, batch, strict=True))
            if (len(self._links) != len(ids) or not self._links.keys().isdisjoint(self._entities)
                    or ends.difference(self._entities)):
                self._links.clear()
                self._refuse_links(batch)
        else:
            new_ids = set(ids)
            if (len(new_ids) != len(ids) or not new_ids.isdisjoint(self._links)
                    or not new_ids.isdisjoint(self._entities) or ends.difference(self._entities)):
                self._refuse_links(batch)
            self._links.update(zip(ids, batch, strict=True))
        if len(batch) * 2 >= len(self._links):
            # At least half the chart's links (a chart file, a big import): each entity's
            # links are found when first asked for (links_of), not now. Building them costs
            # the same either way, but opening a chart of 600,000 links no longer waits 0.6 s
            # for an index that drawing and saving never use.
            self._links_of = None
        elif self._links_of is not None:
            for ends in (ends1, ends2):
                deque(map(set.add, map(self._links_of.__getitem__, ends), ids), maxlen=0)
        if batch:
            self.links_added.emit(batch)

    def _refuse_links(self, batch: list[Link]) -> None:
        """Raise ChartError naming the first link of ``batch`` that cannot be added."""
        seen: set[str] = set()
        for link in batch:
            if link.id in self._links or link.id in self._entities or link.id in seen:
                raise ChartError(f"id {link.id!r} is already in the chart")
            for end in (link.end1, link.end2):
                if end not in self._entities:
                    raise ChartError(f"link {link.id!r} refers to missing entity {end!r}")
            seen.add(link.id)

    def remove_links(self, link_ids: Iterable[str]) -> list[Link]:
        removed = []
        links_of = self._adjacency()
        for link_id in dict.fromkeys(link_ids):
            link = self.link(link_id)
            del self._links[link_id]
            links_of[link.end1].discard(link_id)
            links_of[link.end2].discard(link_id)
            removed.append(link)
        if removed:
            self.links_removed.emit(removed)
        return removed

    def remove_entities(self, entity_ids: Iterable[str]) -> tuple[list[Entity], list[Link]]:
        """Remove entities and every link touching them; returns both for undo."""
        ids = list(dict.fromkeys(entity_ids))
        for entity_id in ids:
            self.entity(entity_id)
        link_ids = {lid for eid in ids for lid in self._adjacency()[eid]}
        links = self.remove_links(sorted(link_ids))
        removed = []
        for entity_id in ids:
            entity = self._entities.pop(entity_id)
            del self._adjacency()[entity_id]
            if entity.identity is not None:
                del self._identities[(entity.type, entity.identity)]
            removed.append(entity)
        if removed:
            self.entities_removed.emit(removed)
        return removed, links

    def update_entity(self, entity_id: str, **changes: Any) -> dict[str, Any]:
        """Set fields; returns their old values (pass them back to undo)."""
        entity = self.entity(entity_id)
        unknown = set(changes) - ENTITY_FIELDS
        if unknown:
            raise ChartError(f"entities have no field(s) {sorted(unknown)}")
        new_type = changes.get("type", entity.type)
        new_identity = changes.get("identity", entity.identity)
        old_key = (entity.type, entity.identity)
        new_key = (new_type, new_identity)
        if new_identity is not None and new_key != old_key and new_key in self._identities:
            raise ChartError(f"another {new_type} already has identity {new_identity!r}")
        old = {name: getattr(entity, name) for name in changes}
        for name, value in changes.items():
            setattr(entity, name, value)
        if new_key != old_key:
            if entity.identity is not None or old_key[1] is not None:
                self._identities.pop(old_key, None)
            if new_identity is not None:
                self._identities[new_key] = entity.id
        if changes:
            self.entity_changed.emit(entity, tuple(changes))
        return old

    def update_link(self, link_id: str, **changes: Any) -> dict[str, Any]:
        link = self.link(link_id)
        unknown = set(changes) - LINK_FIELDS
        if unknown:
            raise ChartError(f"links have no field(s) {sorted(unknown)} (ends cannot change)")
        old = {name: getattr(link, name) for name in changes}
        for name, value in changes.items():
            setattr(link, name, value)
        if changes:
            self.link_changed.emit(link, tuple(changes))
        return old

    def move_entities(self, positions: Mapping[str, tuple[float, float]]) -> dict[str, tuple]:
        """Set positions of many entities at once (a drag, a layout); returns old positions."""
        old = {}
        for entity_id, (x, y) in positions.items():
            entity = self.entity(entity_id)
            old[entity_id] = (entity.x, entity.y)
            entity.x, entity.y = float(x), float(y)
        if old:
            self.entities_moved.emit(dict(positions))
        return old
