"""Merge entities that are one person (phone, firm) into one, and take a merge back exactly.

A merge keeps the first entity's id, label, type, position and look, and gives it every
source of the others, their attributes (a value that differs is kept beside the first under
``name (2)``, ``name (3)``, never dropped), their other names in ``aliases``, and every link
they had, re-pointed to it (parallel links stay parallel). The ``MergeRecord`` holds the
entities and links exactly as they were, with who merged them, when and why, so ``unmerge``
gives them back exactly (ids, attributes, sources, positions) and the chart file keeps the
record. "Possibly same as" links between the joined entities are decisions the merge settled:
they are held in the record, not drawn as loops, and come back on unmerge.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from workbench.model.items import Entity, Link
from workbench.model.kinds import Kind, Value

if TYPE_CHECKING:
    from workbench.model.chart import Chart

POSSIBLY_SAME_AS = "Possibly same as"  # the link type of a "not sure" decision
ALIASES = "aliases"  # the attribute the importer also keeps other spellings in
BY_HAND = "by hand"


class MergeError(ValueError):
    """A merge or unmerge that cannot be done; the message says why, for the analyst."""


@dataclass(frozen=True)
class MergeRecord:
    """Which identities were joined into ``survivor``, by whom, when, and on what evidence.

    ``entities`` (survivor first) and ``links`` (every link touching them) are copies taken
    just before the merge. ``method`` says how it was decided ("by hand", "review", "merged
    above 0.95"); ``evidence`` is the matcher's ``{field: (verdict, detail)}``.
    """

    survivor: str
    entities: tuple[Entity, ...]
    links: tuple[Link, ...]
    by: str
    at: datetime
    method: str = BY_HAND
    probability: float | None = None
    evidence: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def joined(self) -> list[str]:
        """The ids of the entities that became one, survivor first."""
        return [e.id for e in self.entities]

    def ids(self) -> set[str]:
        """Every id the record may give back: no new item may take one of them."""
        return {*self.joined, *(lk.id for lk in self.links)}


@dataclass(frozen=True)
class Unmerged:
    """What ``unmerge`` took off the chart, so that undoing it puts back exactly that."""

    record: MergeRecord
    index: int  # the record's place in chart.merges
    entity: Entity
    links: tuple[Link, ...]


class MergeIndex:
    """What the chart's merge records mean for ids and identities.

    ``held``: ids a record may give back, never given to a new item. ``find``: the entity an
    identity joined into a merge now lives in, so that importing the row of an absorbed entity
    again adds to the merged entity instead of bringing the duplicate back.
    """

    def __init__(self) -> None:
        self.held: Counter[str] = Counter()  # id -> how many records hold it
        self._identities: dict[tuple[str, str], str] = {}  # (type, identity) -> absorbed id
        self._into: dict[str, str] = {}  # absorbed id -> the survivor of its merge

    def add(self, record: MergeRecord) -> None:
        self.held.update(record.ids())
        for entity in record.entities[1:]:
            self._into[entity.id] = record.survivor
            if entity.identity is not None:
                self._identities[(entity.type, entity.identity)] = entity.id

    def remove(self, record: MergeRecord) -> None:
        """Forget a record that was unmerged (its absorbed entities are on the chart again)."""
        self.held.subtract(record.ids())
        for entity_id in record.ids():
            if self.held[entity_id] <= 0:
                del self.held[entity_id]
        for entity in record.entities[1:]:
            self._into.pop(entity.id, None)
            if entity.identity is not None:
                self._identities.pop((entity.type, entity.identity), None)

    def find(self, key: tuple[str, str], entities: Mapping[str, Entity]) -> Entity | None:
        """The entity on the chart that the identity ``key`` was merged into, if any (through
        merges of merges; None once that entity was deleted)."""
        entity_id = self._identities.get(key)
        seen: set[str] = set()
        while entity_id is not None and entity_id not in entities and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self._into.get(entity_id)
        return entities.get(entity_id) if entity_id is not None else None


def copy_entity(e: Entity) -> Entity:
    """A copy sharing no container with the chart's entity (values and sources are frozen).
    Built field by field: ``dataclasses.replace`` costs ten times as much."""
    return Entity(e.id, e.type, e.label, e.identity, dict(e.attributes), e.x, e.y, e.date,
                  e.coordinates, e.style, list(e.provenance))


def copy_link(lk: Link, end1: str | None = None, end2: str | None = None) -> Link:
    """A copy of the link, with other ends if given."""
    return Link(lk.id, end1 or lk.end1, end2 or lk.end2, lk.type, lk.label, lk.direction,
                lk.strength, dict(lk.attributes), lk.date, lk.style, list(lk.provenance))


def plan_merge(chart: Chart, entity_ids: Iterable[str], *, by: str, at: datetime,
               method: str = BY_HAND, probability: float | None = None,
               evidence: Mapping[str, tuple[str, str]] | None = None) -> MergeRecord:
    """The record of merging these entities (the first keeps its id); nothing changes yet."""
    ids = list(dict.fromkeys(entity_ids))
    if len(ids) < 2:
        raise MergeError("Merging needs at least two entities.")
    missing = [i for i in ids if i not in chart.entities]
    if missing:
        raise MergeError(f"No entity {missing[0]!r} on the chart to merge.")
    link_ids = sorted({lk.id for i in ids for lk in chart.links_of(i)})
    return MergeRecord(
        survivor=ids[0],
        entities=tuple(copy_entity(chart.entity(i)) for i in ids),
        links=tuple(copy_link(chart.link(i)) for i in link_ids),
        by=by, at=at, method=method, probability=probability, evidence=dict(evidence or {}))


# ----- the merged entity -------------------------------------------------------------------------
def _free_name(attributes: Mapping[str, Value], name: str) -> str:
    n = 2
    while f"{name} ({n})" in attributes:
        n += 1
    return f"{name} ({n})"


def _held_values(attributes: Mapping[str, Value], name: str) -> list[Value]:
    """The values already kept for ``name``: under it and under ``name (2)``, ``name (3)``..."""
    prefix = f"{name} ("
    return [v for k, v in attributes.items()
            if k == name or (k.startswith(prefix) and k[len(prefix):-1].isdigit()
                             and k.endswith(")"))]


def _keep(attributes: dict[str, Value], name: str, value: Value, *, beside: bool = False
          ) -> None:
    """Add ``value`` under ``name``, or beside it when ``name`` holds another value.

    ``beside`` files it as ``name (2)`` on: a second date or place of the joined entities,
    kept clear of an attribute that is itself called ``date``."""
    if name not in attributes and not beside:
        attributes[name] = value
    elif value not in _held_values(attributes, name):
        attributes[_free_name(attributes, name)] = value


def _aliases(survivor: Entity, others: list[Entity]) -> str:
    """Every other name of the joined entities, once each (case ignored), '; ' between."""
    names: dict[str, str] = {survivor.label.casefold(): survivor.label}
    out: list[str] = []
    for entity in (survivor, *others):
        alias = entity.attributes.get(ALIASES)
        spelled = alias.value.split("; ") if alias is not None and alias.kind is Kind.TEXT else []
        for name in (entity.label, *spelled):
            if name and name.casefold() not in names:
                names[name.casefold()] = name
                out.append(name)
    return "; ".join(out)


def merged_entity(record: MergeRecord) -> Entity:
    survivor, *others = (copy_entity(e) for e in record.entities)
    attributes = dict(survivor.attributes)
    aliases = _aliases(survivor, others)
    text_aliases = ALIASES not in attributes or attributes[ALIASES].kind is Kind.TEXT
    if aliases and text_aliases:
        attributes[ALIASES] = Value(Kind.TEXT, aliases)
    elif aliases:  # an ``aliases`` that is not text (a colleague's chart): the names beside it
        _keep(attributes, ALIASES, Value(Kind.TEXT, aliases), beside=True)
    provenance = list(survivor.provenance)
    seen = set(provenance)
    identity, date, coordinates = survivor.identity, survivor.date, survivor.coordinates
    for other in others:
        for name, value in other.attributes.items():
            if not (name == ALIASES and text_aliases and value.kind is Kind.TEXT):
                _keep(attributes, name, value)
        provenance += [s for s in other.provenance if s not in seen]
        seen.update(other.provenance)
        if identity is None and other.type == survivor.type:
            identity = other.identity
        if other.date is not None and other.date != date:
            if date is None:
                date = other.date
            else:
                _keep(attributes, "date", Value(Kind.DATETIME, other.date), beside=True)
        if other.coordinates is not None and other.coordinates != coordinates:
            if coordinates is None:
                coordinates = other.coordinates
            else:
                _keep(attributes, "coordinates", Value(Kind.COORDINATES, other.coordinates),
                      beside=True)
    return replace(survivor, identity=identity, attributes=attributes, provenance=provenance,
                   date=date, coordinates=coordinates)


def merged_links(record: MergeRecord) -> list[Link]:
    """The record's links on the merged chart: ends re-pointed to the survivor; "possibly
    same as" links between the joined entities held back."""
    joined = set(record.joined)
    out = []
    for link in record.links:
        inside = link.end1 in joined and link.end2 in joined
        if inside and link.type == POSSIBLY_SAME_AS:
            continue
        out.append(copy_link(link, record.survivor if link.end1 in joined else link.end1,
                             record.survivor if link.end2 in joined else link.end2))
    return out


# ----- doing and undoing (Chart.merge, Chart.unmerge, Chart.undo_unmerge call these) ------------
def apply_merge(chart: Chart, record: MergeRecord) -> Entity:
    """Replace the record's entities by the merged one; returns it. Checks first, so a
    refused merge changes nothing."""
    for entity in record.entities:
        if entity.id not in chart.entities:
            raise MergeError(f"No entity {entity.id!r} on the chart to merge.")
    merged = merged_entity(record)
    kept = {lk.id for lk in record.links}
    others = [copy_link(lk) for i in record.joined for lk in chart.links_of(i)
              if lk.id not in kept]  # links made since the record was planned (none in use)
    chart.remove_entities(record.joined)
    chart.add_entities([merged])
    chart.add_links([*merged_links(record), *_repointed(others, record)])
    chart.add_merge_records([record])
    return merged


def _repointed(links: Iterable[Link], record: MergeRecord) -> list[Link]:
    joined = set(record.joined)
    return [copy_link(lk, record.survivor if lk.end1 in joined else lk.end1,
                      record.survivor if lk.end2 in joined else lk.end2)
            for lk in dict((lk.id, lk) for lk in links).values()]


def last_record(chart: Chart, entity_id: str) -> int | None:
    """The index in ``chart.merges`` of the latest merge into this entity, if any."""
    for index in range(len(chart.merges) - 1, -1, -1):
        if chart.merges[index].survivor == entity_id:
            return index
    return None


def unmerge_problem(chart: Chart, entity_id: str) -> str:
    """Why Unmerge cannot give this entity's merge back ('' when it can). Asked before an
    undo command is pushed: a command that fails half-way cannot be undone."""
    entity = chart.entities.get(entity_id)
    index = last_record(chart, entity_id)
    if entity is None or index is None:
        name = entity.label if entity is not None else entity_id
        return f"{name} is not a merged entity."
    for n, old in enumerate(chart.merges[index].entities):
        if n and (old.id in chart.entities or old.id in chart.links):
            return f"Cannot unmerge {entity.label}: id {old.id} is in use again."
        if old.identity is not None:
            holder = chart.find(old.type, old.identity)
            if holder is not None and holder.id != entity_id:
                return (f"Cannot unmerge {entity.label}: {holder.label} ({holder.id}) now has "
                        f"the identity of {old.label}; merge or delete it first.")
    return ""


def unmerge(chart: Chart, entity_id: str) -> Unmerged:
    """Give back the entities and links of the latest merge into ``entity_id`` exactly as
    they were. Links added to the merged entity since stay on the first entity; links
    deleted since stay deleted; a link edited since keeps the edit and gets its old ends."""
    problem = unmerge_problem(chart, entity_id)
    if problem:
        raise MergeError(problem)
    entity = chart.entity(entity_id)
    index = last_record(chart, entity_id)
    assert index is not None  # unmerge_problem said so
    record = chart.merges[index]
    current = {lk.id: lk for lk in chart.links_of(entity_id)}
    joined = set(record.joined)
    restored = []
    for old_link in record.links:
        now = current.pop(old_link.id, None)
        if now is not None:
            restored.append(copy_link(now, old_link.end1, old_link.end2))
        elif old_link.end1 in joined and old_link.end2 in joined \
                and old_link.type == POSSIBLY_SAME_AS:
            restored.append(copy_link(old_link))
    _, removed_links = chart.remove_entities([entity_id])
    chart.add_entities([_with_later_additions(record, entity), *map(copy_entity,
                                                                    record.entities[1:])])
    chart.add_links([*restored, *current.values()])
    chart.remove_merge_record(index)
    return Unmerged(record, index, entity, tuple(removed_links))


def _with_later_additions(record: MergeRecord, now: Entity) -> Entity:
    """The first entity as it was, with the sources and attributes the merged entity gained
    since the merge (rows imported again, measures): they are not the others' to take back."""
    first = copy_entity(record.entities[0])
    merged = merged_entity(record)
    known = set(merged.provenance) | set(first.provenance)
    first.provenance += [s for s in now.provenance if s not in known]
    for name, value in now.attributes.items():
        if name not in merged.attributes and name not in first.attributes:
            first.attributes[name] = value
    return first


def undo_unmerge(chart: Chart, unmerged: Unmerged) -> None:
    """Put back exactly what ``unmerge`` took off (the inverse of unmerge, for undo)."""
    chart.remove_entities(unmerged.record.joined)
    chart.add_entities([unmerged.entity])
    chart.add_links(unmerged.links)
    chart.add_merge_records([unmerged.record], at=unmerged.index)
