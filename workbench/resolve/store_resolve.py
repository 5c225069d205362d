"""Find Duplicates across a whole store: candidate pairs among the entities of every source,
and the decisions on them kept in the store.

The store gathers each entity's facts by SQL (``Store.match_rows``: attributes, linked phones
and e-mails, neighbours) a batch at a time; each batch becomes the matcher's records through the
same normalisation a chart's entities go through (``records.add_value``), so a store and a
chart match alike, and the matcher (Splink on its own DuckDB) scores them. Pairs the store has
decided (accepted, rejected, or already joined through a chain of accepted pairs) are not
offered again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from workbench.model import Kind
from workbench.resolve.candidates import candidates_from, check_threshold
from workbench.resolve.comparisons import DEFAULT_THRESHOLD
from workbench.resolve.decisions import current_user, now
from workbench.resolve.matcher import score
from workbench.resolve.pairs import Candidate
from workbench.resolve.records import (
    ORGANISATION_TYPES,
    PERSON_TYPES,
    PLACE_TYPES,
    PlaceNamer,
    Record,
    add_value,
    field_of,
    name_for,
    record_table,
)
from workbench.store.interface import ACCEPTED, Decision, Store

REGION = "GB"  # phones typed without a country code in an attribute (as a chart's default)


@dataclass(frozen=True, slots=True)
class Labels:
    """Store id -> label and type of every entity matched, as two Arrow columns (a million
    labels as Python strings would cost more than the records themselves)."""

    ids: pa.Array
    labels: pa.Array
    types: pa.Array

    def of(self, ids: Sequence[int]) -> list[tuple[str, str]]:
        at = pc.index_in(pa.array(ids, pa.int64()), value_set=self.ids).to_pylist()
        return [(self.labels[i].as_py(), self.types[i].as_py()) if i is not None else ("", "")
                for i in at]


def default_types(store: Store) -> list[str]:
    """Without --type: the store's people and organisations (names worth matching)."""
    return [t for t in store.info().entity_types if t in PERSON_TYPES | ORGANISATION_TYPES]


def _record(row: dict[str, object], place_namer: PlaceNamer | None) -> Record:
    type_ = str(row["type"])
    record = Record(str(row["id"]), name_for(type_, str(row["label"])))
    for attribute in row["attributes"] or ():  # type: ignore[union-attr]
        value = orjson.loads(attribute["value"])
        add_value(record, field_of(attribute["name"], Kind(value["kind"])), value["value"],
                  REGION)
    record.phones.update(row["phones"] or ())  # type: ignore[arg-type]
    record.emails.update(row["emails"] or ())  # type: ignore[arg-type]
    record.neighbours.update(row["neighbours"] or ())  # type: ignore[arg-type]
    if type_ in PLACE_TYPES and place_namer is not None:
        record.place = place_namer(str(row["label"]))
    return record


def store_records(store: Store, type_name: str, place_namer: PlaceNamer | None = None
                  ) -> tuple[pa.Table, Labels]:
    """The matcher's table of every entity of ``type_name`` in the store, and their labels."""
    tables, ids, labels, types = [], [], [], []
    for batch in store.match_rows([type_name]):
        tables.append(record_table(_record(row, place_namer) for row in batch.to_pylist()))
        ids.append(batch.column("id"))
        labels.append(batch.column("label"))
        types.append(batch.column("type"))
    table = pa.concat_tables(tables) if tables else record_table([])
    return table, Labels(*(pa.concat_arrays(c) if c else pa.array([], t) for c, t in
                           ((ids, pa.int64()), (labels, pa.string()), (types, pa.string()))))


class Decided:
    """The store's decisions as the pair filter: decided pairs and pairs already one entity
    through accepted chains are not offered again."""

    def __init__(self, decisions: Iterable[Decision]) -> None:
        self.pairs: set[tuple[int, int]] = set()
        self.parent: dict[int, int] = {}
        for d in decisions:
            self.pairs.add((d.a, d.b))
            if d.decision == ACCEPTED:
                self.parent[self.root(d.a)] = self.root(d.b)

    def root(self, entity: int) -> int:
        while entity in self.parent:
            entity = self.parent[entity]
        return entity

    def __contains__(self, pair: tuple[int, int]) -> bool:
        a, b = min(pair), max(pair)
        return (a, b) in self.pairs or self.root(a) == self.root(b)


@dataclass(slots=True)
class StorePair:
    """A candidate pair of store entities with their labels, for printing and the CSV."""

    candidate: Candidate
    a: int
    b: int
    label_a: str
    label_b: str
    type: str


def find_store_pairs(store: Store, types: Iterable[str], threshold: float = DEFAULT_THRESHOLD,
                     *, place_namer: PlaceNamer | None = None) -> list[StorePair]:
    """Undecided candidate pairs among the store's entities of each of ``types``, most
    probable first."""
    check_threshold(threshold)
    decided = Decided(store.decisions())
    found: list[StorePair] = []
    for type_name in dict.fromkeys(types):
        records, labels = store_records(store, type_name, place_namer)
        scored = score(records, threshold)
        pairs = [c for c in candidates_from(scored.pairs, scored.fields)
                 if (int(c.a), int(c.b)) not in decided]
        ends = [(min(int(c.a), int(c.b)), max(int(c.a), int(c.b))) for c in pairs]
        named = labels.of([i for pair in ends for i in pair])
        for n, (c, (a, b)) in enumerate(zip(pairs, ends, strict=True)):
            (label_a, type_), (label_b, _) = named[2 * n], named[2 * n + 1]
            found.append(StorePair(Candidate(str(a), str(b), c.probability, c.evidence),
                                   a, b, label_a, label_b, type_))
    found.sort(key=lambda p: (-p.candidate.probability, p.a, p.b))
    return found


def decision_for(pair: StorePair, decision: str, method: str) -> Decision:
    """The analyst's decision on a found pair, with the matcher's probability and evidence."""
    c = pair.candidate
    return Decision(pair.a, pair.b, decision, current_user(), now(), method, c.probability,
                    c.evidence)


def merge_above(store: Store, pairs: Sequence[StorePair], p: float) -> list[StorePair]:
    """Accept in the store every pair at or above ``p``; returns the pairs left for review."""
    sure = [pair for pair in pairs if pair.candidate.probability >= p]
    store.record_decisions([decision_for(pair, ACCEPTED, f"merged above {p:g}")
                            for pair in sure])
    return [pair for pair in pairs if pair.candidate.probability < p]
