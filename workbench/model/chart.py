"""The Chart: entities, links, metadata and the types in use, with change events.

Views subscribe to the signals and keep their own map from id to drawn item; they never hold
data. Every method that changes the chart returns what an undo command needs to reverse it.
Signals carry lists so that an import of 100,000 rows is one emission, not 100,000.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields
from datetime import UTC, datetime
from itertools import repeat
from operator import attrgetter
from typing import Any

from psygnal import Signal

from workbench.model.catalogue import Catalogue, EntityType, LinkType, default_catalogue
from workbench.model.items import Entity, Link
from workbench.model.kinds import Kind, ParseError, Value, identity_key
from workbench.model.merge import (
    MergeIndex,
    MergeRecord,
    Unmerged,
    apply_merge,
    undo_unmerge,
    unmerge,
)
from workbench.model.provenance import SourceRecord

ENTITY_FIELDS = frozenset(f.name for f in fields(Entity)) - {"id"}
LINK_FIELDS = frozenset(f.name for f in fields(Link)) - {"id", "end1", "end2"}


class ChartError(ValueError):
    """An operation that would make the chart inconsistent (unknown id, duplicate identity)."""


class Chart:
    entities_added = Signal(list)  # list[Entity]
    entities_removed = Signal(list)  # list[Entity]
    entity_changed = Signal(object, tuple)  # Entity, names of changed fields
    entities_moved = Signal(dict)  # {id: (x, y)}
    links_added = Signal(list)  # list[Link]
    links_removed = Signal(list)  # list[Link]
    link_changed = Signal(object, tuple)  # Link, names of changed fields
    metadata_changed = Signal(str)  # name of the metadata field
    settings_changed = Signal(str)  # key of chart.settings that changed (set_setting)
    types_changed = Signal()
    decisions_changed = Signal()  # a pair rejected or no longer rejected, a merge record

    def __init__(self, title: str = "Untitled chart", *, catalogue: Catalogue | None = None,
                 region: str = "GB") -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        self.title = title
        self.description = ""
        self.marking = ""
        self.author = ""
        self.created: datetime = now
        self.modified: datetime = now
        self.region = region  # default region for phone numbers without a country code
        self.catalogue = catalogue if catalogue is not None else default_catalogue()
        # Owned by features (conditional formatting, place fixes, ...); JSON values only.
        self.settings: dict[str, Any] = {}
        # Pictures embedded in the chart file (custom icons, photos), by file name.
        self.images: dict[str, bytes] = {}
        self._entities: dict[str, Entity] = {}
        self._links: dict[str, Link] = {}
        # The ids of each entity's links; None until first needed after a big batch of links
        # (see add_links and _adjacency).
        self._links_of: dict[str, set[str]] | None = {}
        self._identities: dict[tuple[str, str], str] = {}
        self._next_id = 1
        # Entity resolution: merges that unmerge can take back (oldest first), and pairs the
        # analyst said are not one (``(a, b)`` with ``a < b``), never offered again.
        self.merges: list[MergeRecord] = []
        self.rejected: set[tuple[str, str]] = set()
        self._merged = MergeIndex()  # ids the records may give back, identities they joined

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

    def find(self, type_name: str, identity: str) -> Entity | None:
        """The entity of this type with this normalised identity key, if any: also the
        merged entity an identity was joined into (Merge Entities, Find Duplicates)."""
        found = self._identities.get((type_name, identity))
        if found is not None:
            return self._entities[found]
        return self._merged.find((type_name, identity), self._entities) if self.merges else None

    def entity_type(self, entity: Entity | str) -> EntityType:
        name = entity if isinstance(entity, str) else entity.type
        return self.catalogue.entity_type(name)

    def link_type(self, link: Link | str) -> LinkType:
        name = link if isinstance(link, str) else link.type
        return self.catalogue.link_type(name)

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities.values())

    # ----- ids and identities --------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}{self._next_id}"
            self._next_id += 1
            if (candidate not in self._entities and candidate not in self._links
                    and candidate not in self._merged.held):
                return candidate

    def identity_for(self, type_name: str, raw: Any) -> str:
        """Normalise a raw identity value with the type's identity kind (raises ParseError)."""
        kind: Kind = self.catalogue.entity_type(type_name).identity
        return identity_key(kind, raw, region=self.region)

    # ----- building (merging by identity) ----------------------------------------------------
    def make_entity(self, type_name: str, label: str, *, identity: Any = None,
                    attributes: Mapping[str, Value] | None = None,
                    provenance: Iterable[SourceRecord] = (), **fields_: Any) -> Entity:
        """Add an entity, or return the existing one with the same (type, identity).

        ``identity`` is the raw value (a phone as typed); it is normalised here. With no
        identity the entity is always new. On a merge the new provenance is appended and
        attributes the existing entity lacks are filled in; existing values are kept.
        """
        key = None
        if identity is not None and str(identity).strip():
            try:
                key = self.identity_for(type_name, identity)
            except ParseError:
                key = None
        if key is not None:
            existing = self.find(type_name, key)
            if existing is not None:
                self.absorb(existing.id, provenance, attributes or {})
                return existing
        entity = Entity(id=self.new_id("e"), type=type_name, label=label, identity=key,
                        attributes=dict(attributes or {}), provenance=list(provenance),
                        **fields_)
        self.add_entities([entity])
        return entity

    def absorb(self, entity_id: str, provenance: Iterable[SourceRecord],
               attributes: Mapping[str, Value]) -> bool:
        """Append provenance and fill missing attributes on an existing entity."""
        entity = self.entity(entity_id)
        changed: list[str] = []
        known = set(entity.provenance)
        new_sources = [s for s in provenance if s not in known]
        if new_sources:
            entity.provenance = [*entity.provenance, *new_sources]
            changed.append("provenance")
        missing = {k: v for k, v in attributes.items() if k not in entity.attributes}
        if missing:
            entity.attributes = {**entity.attributes, **missing}
            changed.append("attributes")
        if changed:
            self.entity_changed.emit(entity, tuple(changed))
        return bool(changed)

    def make_link(self, end1: str, end2: str, type_name: str, **fields_: Any) -> Link:
        link = Link(id=self.new_id("l"), end1=end1, end2=end2, type=type_name, **fields_)
        self.add_links([link])
        return link

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
        if self._links_of is not None:
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
        new_ids = set(ids)
        ends = set(ends1)
        ends.update(ends2)
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

    def set_metadata(self, name: str, value: Any) -> Any:
        if name not in {"title", "description", "marking", "author", "region"}:
            raise ChartError(f"charts have no metadata field {name!r}")
        old = getattr(self, name)
        setattr(self, name, value)
        self.metadata_changed.emit(name)
        return old

    def set_setting(self, key: str, value: Any) -> Any:
        """Set one entry of ``settings`` (None removes it); returns the old value (None when
        there was none). Features that draw by a setting follow ``settings_changed``."""
        old = self.settings.get(key)
        if value is None:
            self.settings.pop(key, None)
        else:
            self.settings[key] = value
        self.settings_changed.emit(key)
        return old

    def add_types(self, entity_types: Iterable[EntityType] = (),
                  link_types: Iterable[LinkType] = ()) -> None:
        """Extend the chart's catalogue with its own types (or replace ones by name)."""
        self.catalogue = self.catalogue.extended(entity_types, link_types)
        self.types_changed.emit()

    # ----- entity resolution: merges and decisions ---------------------------------------------
    def merge(self, record: MergeRecord) -> Entity:
        """Join the record's entities into its survivor (see workbench.model.merge)."""
        return apply_merge(self, record)

    def unmerge(self, entity_id: str) -> Unmerged:
        """Give back exactly the entities and links of the latest merge into this entity."""
        return unmerge(self, entity_id)

    def undo_unmerge(self, unmerged: Unmerged) -> None:
        undo_unmerge(self, unmerged)

    def add_merge_records(self, records: Iterable[MergeRecord], at: int | None = None) -> None:
        """Keep these records (a merge, or a chart file being read), at the end or ``at``."""
        batch = list(records)
        where = len(self.merges) if at is None else at
        self.merges[where:where] = batch
        for record in batch:
            self._merged.add(record)
        self.decisions_changed.emit()

    def remove_merge_record(self, index: int) -> MergeRecord:
        record = self.merges.pop(index)
        self._merged.remove(record)
        self.decisions_changed.emit()
        return record

    @property
    def held_ids(self) -> frozenset[str]:
        """Ids that merge records may give back: no new item may take one."""
        return frozenset(self._merged.held)

    def merge_record(self, entity_id: str) -> MergeRecord | None:
        """The latest merge into this entity (what Unmerge takes back), if any."""
        return next((r for r in reversed(self.merges) if r.survivor == entity_id), None)

    def set_rejected(self, a: str, b: str, rejected: bool = True) -> bool:
        """Remember (or forget) that ``a`` and ``b`` are not one; returns the old state."""
        pair = (a, b) if a < b else (b, a)
        was = pair in self.rejected
        if rejected:
            self.rejected.add(pair)
        else:
            self.rejected.discard(pair)
        if was != rejected:
            self.decisions_changed.emit()
        return was

    # ----- comparison (round-trip tests, "same chart on another machine") ------------------
    def content(self) -> dict[str, Any]:
        """Everything saved in a chart file, for equality checks."""
        return {
            "meta": (self.title, self.description, self.marking, self.author, self.created,
                     self.modified, self.region),
            "settings": self.settings,
            "images": self.images,
            "types": self.catalogue.differences_from(default_catalogue()),
            "entities": self._entities,
            "links": self._links,
            "resolution": (self.merges, sorted(self.rejected)),
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Chart) and self.content() == other.content()

    __hash__ = None  # type: ignore[assignment]

