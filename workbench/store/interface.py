"""What a store offers, whatever engine holds it: the one interface the CLI, the window's store
dock and the shared PostgreSQL store (issue 17) all speak.

Everything crossing it is small plain data (rows of a search, counts of a preview, one chart
of a capped neighbourhood), never a whole table, so a dock can call it from a worker thread
and show the answer at once. Long operations take ``progress(fraction, message)`` and
``cancelled() -> bool`` callbacks, as the chart importer and the layouts do: Cancel leaves the
store as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from workbench.io.import_report import ImportReport
from workbench.io.importspec import ImportSpec
from workbench.model import Chart, Entity, Link

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]


class StoreError(ValueError):
    """A store that cannot be opened or changed; the message is one line for the analyst."""


class StoreCancelled(StoreError):
    """The analyst pressed Cancel; the store is as it was before."""


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
    by link type, and whether the cap cut it short (``more`` entities were left out)."""

    entities: int
    links: int
    entity_types: dict[str, int]
    link_types: dict[str, int]
    more: int = 0
    entity_ids: tuple[int, ...] = ()
    link_ids: tuple[int, ...] = ()  # news: new links joining two entities already on the chart


@dataclass(frozen=True, slots=True)
class PathStep:
    """One entity of a shortest path and the link that reaches it from the step before."""

    entity: int
    type: str
    label: str
    link: int | None = None
    link_type: str = ""


@dataclass(slots=True)
class Expansion:
    """What an expansion would add to a chart: new model items (placed, not yet added) and
    the store id of each by its chart id."""

    entities: list[Entity]
    links: list[Link]
    entity_ids: dict[str, int]
    link_ids: dict[str, int]


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
