"""What a store offers, whatever engine holds it: the one interface the CLI, the window's store
dock and the shared PostgreSQL store (issue 17) all speak.

Everything crossing it is small plain data (rows of a search, counts of a preview, one chart
of a capped neighbourhood), never a whole table, so a dock can call it from a worker thread
and show the answer at once. Long operations take ``progress(fraction, message)`` and
``cancelled() -> bool`` callbacks, as the chart importer and the layouts do: Cancel leaves the
store as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from workbench.io.import_report import ImportReport
from workbench.io.importspec import ImportSpec
from workbench.model import Chart, Entity, Link, SourceRecord

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]


class StoreError(ValueError):
    """A store that cannot be opened or changed; the message is one line for the analyst."""


class StoreCancelled(StoreError):
    """The analyst pressed Cancel; the store is as it was before."""


class PasswordNeeded(StoreError):
    """A shared store's server asks for a password that was not given (the command line
    then asks at the terminal, the window in its dialog)."""


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One imported file: what a dock lists under Sources and ``store info`` prints."""

    id: int
    name: str
    file: str
    file_hash: str
    rows_read: int
    rows_imported: int
    imported_at: datetime
    spec_name: str


@dataclass(frozen=True, slots=True)
class StoreInfo:
    path: str
    engine: str
    format_version: int
    size_bytes: int
    entities: int
    links: int
    records: int
    entity_types: dict[str, int]
    link_types: dict[str, int]
    sources: list[SourceInfo]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One row of a search result: enough for a dock's table (type, label, links, sources)."""

    id: int
    type: str
    label: str
    identity: str
    score: float
    links: int
    sources: int
    matched: str  # what matched: "identity", "label", "attribute NAME", "similar label"


@dataclass(frozen=True, slots=True)
class Filters:
    """What a neighbourhood may hold: entity and link types (empty: all) and a date window
    for links (a link with no date passes)."""

    types: tuple[str, ...] = ()
    link_types: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None


NO_FILTERS = Filters()


@dataclass(frozen=True, slots=True)
class Preview:
    """What an expansion would bring, before anything is added: counts by entity type and
    by link type, how many connections (one line each on the chart: two entities, a link
    type, a direction) those links make, and whether the cap cut it short (``more``
    entities were left out)."""

    entities: int
    links: int
    entity_types: dict[str, int]
    link_types: dict[str, int]
    more: int = 0
    entity_ids: tuple[int, ...] = ()
    link_ids: tuple[int, ...] = ()  # news: new links joining two entities already on the chart
    connections: int = 0


@dataclass(frozen=True, slots=True)
class ConnectionKey:
    """Which store links a chart's connection stands for: those of its type and direction
    between its two ends (store ids; either way round for links without a direction or
    pointing both ways), dated from ``first`` to ``last`` or undated. Taken from the
    connection itself, so a chart never lists the ids of the millions of links it stands
    for."""

    end1: int
    end2: int
    type: str
    direction: str
    first: datetime | None = None
    last: datetime | None = None


@dataclass(frozen=True, slots=True)
class PathStep:
    """One entity of a shortest path and the link that reaches it from the step before."""

    entity: int
    type: str
    label: str
    link: int | None = None
    link_type: str = ""


# Show Each Link draws at most this many store links one by one; more are refused with the count
EACH_LINK_LIMIT = 5000
ACCEPTED = "accepted"
REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Decision:
    """An analyst's answer on a pair of store entities (``a < b``): ACCEPTED (one person,
    firm or place: every chart drawn later shows them as one merged entity) or REJECTED (not
    one: never offered again). ``method`` says how ("review", "by hand", "merged above
    0.95"); ``probability`` and ``evidence`` (``{field: (verdict, detail)}``) are the
    matcher's when it found the pair."""

    a: int
    b: int
    decision: str
    by: str
    at: datetime
    method: str = "by hand"
    probability: float | None = None
    evidence: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(slots=True)
class Expansion:
    """What an expansion would add to a chart: new model items (placed, not yet added), the
    store id of each by its chart id, and the decisions on pairs among the chart's and the
    new entities (apply them with ``workbench.store.decisions.apply_decisions`` once added)."""

    entities: list[Entity]
    links: list[Link]
    entity_ids: dict[str, int]
    link_ids: dict[str, int]
    decisions: list[Decision] = field(default_factory=list)
    left_out: int | None = 0  # entities within the hops that the cap left out (None: the
    # cap was full before the last hop, which was not counted; a preview counts it)
    connections: set[str] = field(default_factory=set)  # links standing for several
    replaced: list[str] = field(default_factory=list)  # chart links these take the place of


@dataclass(slots=True)
class ImportResult:
    """What one import did: the report (as chart imports give it) and the sources made."""

    report: ImportReport
    sources: list[SourceInfo] = field(default_factory=list)
    entities_before: int = 0
    entities_after: int = 0
    links_added: int = 0


class Store(Protocol):
    """An investigation store: entities merged by identity across every source, links, and
    the source records behind them with provenance and grading."""

    path: str
    engine: str  # "duckdb" or "postgresql"
    location: str  # the file's full path, or the shared store's URL without password

    def close(self) -> None: ...

    def info(self) -> StoreInfo: ...

    def import_files(self, spec: ImportSpec, spec_text: str, files: Sequence[Path], *,
                     source_name: str | None = None, again: bool = False,
                     places: object | None = None, progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> ImportResult:
        """Import ``files`` through ``spec`` in one transaction: all of it or nothing."""
        ...

    def search(self, text: str, *, types: Sequence[str] = (), limit: int = 20) -> list[SearchHit]:
        ...

    def entity(self, entity: int) -> SearchHit | None:
        """One entity as a search row (for a dock's details), or None if there is none."""
        ...

    def resolve_seed(self, seed: str) -> int:
        """An entity id given as a number, or the best search hit for text."""
        ...

    def preview(self, seeds: Sequence[int], *, hops: int = 1, max_entities: int = 500,
                filters: Filters = NO_FILTERS, exclude: Sequence[int] = (),
                cancelled: Cancelled | None = None) -> Preview: ...

    def chart(self, seeds: Sequence[int], *, hops: int = 1, max_entities: int = 500,
              filters: Filters = NO_FILTERS, title: str | None = None,
              progress: Progress | None = None, cancelled: Cancelled | None = None) -> Chart:
        ...

    def expand(self, chart: Chart, entity: int, *, hops: int = 1, max_entities: int = 500,
               filters: Filters = NO_FILTERS, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> Expansion:
        """What expanding ``entity`` adds to ``chart`` (the chart is not changed)."""
        ...

    def each_link(self, chart: Chart, link: str, *, limit: int = EACH_LINK_LIMIT
                  ) -> Expansion:
        """Show Each Link: the store links the chart's connection ``link`` stands for, each
        a link of its own, to take its place (``Expansion.replaced``; the chart is not
        changed). More than ``limit`` of them: StoreError saying how many."""
        ...

    def first_records(self, chart: Chart, link: str, *, limit: int) -> list[SourceRecord]:
        """The first ``limit`` source records (the analyst may see) of the store links the
        chart's connection ``link`` stands for, in the order they came in: a connection
        carries only its first; the Properties dock reads the rest with this."""
        ...

    def news(self, entities: Sequence[int], since: int | datetime,
             filters: Filters = NO_FILTERS, max_entities: int = 500,
             known_links: Sequence[int] = ()) -> Preview:
        """"New in the store": links from sources after ``since`` (a chart's
        ``settings.store.last_source``, or for older charts its ``drawn_at``) that touch
        ``entities``, and their other ends; links in ``known_links`` are not news."""
        ...

    def last_source(self) -> int:
        """The id of the newest source (0 for an empty store)."""
        ...

    def shortest_path(self, a: int, b: int, *, max_hops: int = 6,
             cancelled: Cancelled | None = None) -> list[PathStep]: ...

    # ----- entity resolution ---------------------------------------------------------------
    def match_rows(self, types: Sequence[str], *, batch_rows: int = 50_000
                   ) -> Iterator[pa.RecordBatch]:
        """What the matcher needs of every entity of ``types``, a batch at a time: ``id``,
        ``type``, ``label``, ``attributes`` (list of {name, value}: the value as JSON),
        ``phones`` and ``emails`` (identities of linked phone and e-mail entities) and
        ``neighbours`` (ids of the other linked entities)."""
        ...

    def decisions(self, entities: Sequence[int] = ()) -> list[Decision]:
        """The decisions on pairs with both ends among ``entities`` (every decision when
        none are given), oldest first."""
        ...

    def record_decisions(self, decided: Sequence[Decision]) -> int:
        """Keep these decisions (a later one on the same pair replaces the earlier), in one
        transaction; returns how many were written. Both ends must be store entities."""
        ...


class ItemRows(Protocol):
    """What drawing needs from an engine: plain rows, each read in the engine's own SQL
    (under the analyst's rights, for a shared store)."""

    engine: str
    name: str  # a short name for titles: the file's, or the database's
    location: str  # what a chart remembers: the file's full path, or a URL without password

    def last_source(self) -> int: ...

    def neighbourhood(self, seeds: Sequence[int], *, hops: int, cap: int, filters: Filters,
                      known: Sequence[int] = (), cancelled: Cancelled | None = None,
                      count: bool = True) -> tuple[list[int], int | None]:
        """The seeds and up to ``cap`` entities within ``hops`` (those reached by more
        links first; ``known`` ones walked through, not counted), and how many entities
        within ``hops`` the cap left out (not ``count``: None when the cap was full before
        the last hop, which is then not walked: drawing does not count, a preview does)."""
        ...

    def type_rows(self) -> list[tuple[str, str, str]]:
        """(kind, name, definition JSON) of the types specifications declared."""
        ...

    def attribute_rows(self, ids: Sequence[int]) -> list[tuple[int, str, str]]:
        """(entity id, name, value JSON) of the entities ``ids``."""
        ...

    def entity_rows(self, ids: Sequence[int]) -> list[tuple]:
        """(id, type, identity, label, date, lat, lon) of the entities ``ids``, by id."""
        ...

    def link_rows(self, every: Sequence[int], new: Sequence[int], filters: Filters, cap: int
                  ) -> list[list[Any]]:
        """The links passing ``filters`` between entities of ``every`` that touch one of
        ``new``, grouped into connections (same two entities, type and direction), each with
        its first source records (``cap`` of a connection of one link, the first of one of
        many; the rest are ``connection_records``): rows of its first link's (id, end1,
        end2, type, label, direction, strength, first date, attributes JSON), (source id,
        name, sheet, row, reliability, credibility) of one record, and (links, last date,
        records), by connection then record (one without any record: one row, the record's
        columns None), handed over as those 18 columns (a hub's links are made from columns
        a third faster than from rows)."""
        ...

    def links_by_id(self, ids: Sequence[int], cap: int, grouped: bool = True
                    ) -> list[list[Any]]:
        """The links ``ids`` (those the analyst may see, in a shared store) as
        ``link_rows`` gives them: connections, in columns (not ``grouped``: each link a
        connection of its own, with its first ``cap`` records)."""
        ...

    def connection_links(self, key: ConnectionKey, cap: int, limit: int
                         ) -> tuple[int, list[list[Any]]]:
        """How many store links (the analyst may see) the connection ``key`` stands for and,
        when they are at most ``limit``, each as ``link_rows`` gives a connection of one
        link (its first ``cap`` records); more than ``limit``: no rows."""
        ...

    def connection_records(self, key: ConnectionKey, cap: int) -> list[tuple]:
        """(source id, name, sheet, row, reliability, credibility) of the first ``cap``
        records (the analyst may see) of the links of the connection ``key``, by record."""
        ...

    def provenance_rows(self, ids: Sequence[int], cap: int) -> list[tuple]:
        """(entity id, source id, name, sheet, row, reliability, credibility) of the first
        ``cap`` records of each entity in ``ids``, by entity then record."""
        ...

    def source_rows(self) -> list[tuple]:
        """(id, file, imported at) of every source (the analyst may see)."""
        ...

    def accepted_partners(self, ids: Sequence[int]) -> list[int]:
        """The entities an accepted decision joins to one of ``ids`` (one step; a shared
        store: the analyst's organisation's decisions on entities the analyst sees)."""
        ...

    def decisions(self, entities: Sequence[int] = ()) -> list[Decision]:
        """As ``Store.decisions``: those on pairs with both ends among ``entities``."""
        ...
