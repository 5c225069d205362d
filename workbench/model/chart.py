"""The Chart: a document of entities and links with its metadata, its types and the decisions
of entity resolution, with change events.

Views subscribe to the signals and keep their own map from id to drawn item; they never hold
data. Every method that changes the chart returns what an undo command needs to reverse it.
The entities and links themselves, and the batch operations that keep them consistent, are
ChartItems (chart_items.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from psygnal import Signal

from workbench.model.catalogue import Catalogue, EntityType, LinkType, default_catalogue
from workbench.model.chart_items import ChartError, ChartItems
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


class Chart(ChartItems):
    """A link chart as the analyst saves it: its items (ChartItems) and everything around them."""

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
        super().__init__()
        self._next_id = 1
        # Entity resolution: merges that unmerge can take back (oldest first), and pairs the
        # analyst said are not one (``(a, b)`` with ``a < b``), never offered again.
        self.merges: list[MergeRecord] = []
        self.rejected: set[tuple[str, str]] = set()
        self._merged = MergeIndex()  # ids the records may give back, identities they joined

    # ----- reading -------------------------------------------------------------------------
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
