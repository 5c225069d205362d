"""The store dock's work, run off the GUI thread, and the runner that shows its progress.

Every call opens the store for itself (``StoreSource.open``: read-only, closed when done), so
no database connection is shared between threads and the window never holds the file
between operations: ``workbench store import`` in a terminal can write to it while the
window is open, and "New in the store" then shows what it brought. Opening goes through
``workbench.store.open_store``, which takes a shared store's URL as well as a file.

The functions here take plain data (a chart snapshot, store ids, filters) and return plain
data (hits, a preview, the items to add with the chart's new record of store ids); the GUI
thread turns those into one undo step.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from workbench.geo.places import place_namer
from workbench.io.importspec import ImportSpec
from workbench.model import Chart, Entity, Link, SourceRecord
from workbench.store import (
    Decision,
    Filters,
    ImportResult,
    Preview,
    SearchHit,
    Store,
    StoreError,
    StoreInfo,
    open_store,
)
from workbench.store.address import is_url, short_name
from workbench.store.charting import SETTING, add_expansion, links_between, store_setting
from workbench.ui.background import Job

SHOW_PROGRESS_AFTER_MS = 300
NEWS_LISTED = 200  # new entities listed by "New in the store" (all are counted)
RINGS = (110.0, 170.0, 230.0, 290.0)  # around an entity: where a new neighbour may go
FREE = 60.0  # nearer than this to an entity, a spot is taken


@dataclass(frozen=True)
class StoreSource:
    """Where the open store is: a .wbstore file, or a shared store's URL (without password:
    the password the analyst typed is held here, in memory, for the window's session only)."""

    location: str
    password: str | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return short_name(self.location)

    def open(self) -> Store:
        return open_store(self.location, read_only=True, password=self.password)

    def is_source_of(self, chart: Chart) -> bool:
        """The chart was drawn from this store (its store ids mean something here)."""
        drawn = store_setting(chart).get("file")
        if not drawn or is_url(self.location):
            return bool(drawn) and drawn == self.location
        return Path(drawn) == Path(self.location).resolve()


@dataclass
class Gathered:
    """Items to add to a chart, placed, and the chart's record of store ids after adding."""

    entities: list[Entity]
    links: list[Link]
    setting: dict[str, Any]
    left_out: int = 0  # entities the cap left out
    decisions: list[Decision] = field(default_factory=list)  # the store's, on these entities


@dataclass
class News:
    preview: Preview
    rows: list[SearchHit] = field(default_factory=list)
    info: StoreInfo | None = None  # the store's counts now (imports since it was opened)
    links: list[tuple[int, str]] = field(default_factory=list)  # new links between the
    # chart's own entities: (store id, "label - type - label")


def store_ids(chart: Chart, source: StoreSource) -> dict[str, int]:
    """Chart entity id -> store id, for a chart drawn from this store."""
    if not source.is_source_of(chart):
        return {}
    return {cid: int(sid) for cid, sid in store_setting(chart).get("entities", {}).items()
            if cid in chart.entities}


# ----- on a worker ---------------------------------------------------------------------------
def read_info(source: StoreSource, _cancelled: threading.Event) -> object:
    with closing(source.open()) as store:
        return store.info()


def search(source: StoreSource, text: str, limit: int) -> list[SearchHit]:
    with closing(source.open()) as store:
        return store.search(text, limit=limit)


def find_in_store(store: Store, entity: Entity) -> int | None:
    """The store id of a chart entity not drawn from the store: same type and identity
    (else the same label, for entities without an identity)."""
    text = entity.identity or entity.label
    for hit in store.search(text, types=[entity.type], limit=10):
        if (entity.identity and hit.identity == entity.identity) or (
                not entity.identity and hit.label.casefold() == entity.label.casefold()):
            return hit.id
    return None


def store_id_of(store: Store, chart: Chart, source: StoreSource, entity_id: str) -> int:
    sid = store_ids(chart, source).get(entity_id)
    if sid is None:
        sid = find_in_store(store, chart.entity(entity_id))
    if sid is None:
        entity = chart.entity(entity_id)
        raise StoreError(f"{entity.label} ({entity.type}) is not in {source.name}")
    return sid


def preview(source: StoreSource, chart: Chart, entity_id: str, hops: int, cap: int,
            filters: Filters, cancelled: threading.Event) -> Preview:
    """What expanding a chart entity would bring (the chart is a snapshot)."""
    with closing(source.open()) as store:
        sid = store_id_of(store, chart, source, entity_id)
        known = list(store_ids(chart, source).values())
        return store.preview([sid], hops=hops, max_entities=cap, filters=filters,
                             exclude=known, cancelled=cancelled.is_set)


def gather(source: StoreSource, chart: Chart, seeds: Sequence[int | str], hops: int,
           cap: int, filters: Filters, progress: Callable[[float, str], None],
           cancelled: threading.Event, each: int | None = None,
           links: Sequence[int] = ()) -> Gathered:
    """The seeds (store ids, or chart entity ids to expand) and their neighbourhood, placed
    on ``chart`` (a snapshot, changed here) beside what is there, at most ``cap`` new
    entities in all (``each``: at most this many per seed). Each seed is one expansion: a
    seed reached by an earlier one is expanded where it now stands. A chart drawn from
    another store starts a new record of store ids (its old ids mean nothing here).
    ``links``: store links between entities on the chart, added as they are."""
    if store_setting(chart) and not source.is_source_of(chart):
        chart.set_setting(SETTING, None)
    before_entities, before_links = set(chart.entities), set(chart.links)
    added, left_out = 0, 0
    decided: dict[tuple[int, int], Decision] = {}
    with closing(source.open()) as store:
        for n, seed in enumerate(seeds):
            if cancelled.is_set():
                raise StoreError("cancelled")
            progress(n / max(len(seeds), 1), f"reading {n + 1} of {len(seeds)}")
            sid = seed if isinstance(seed, int) else store_id_of(store, chart, source, seed)
            if added >= cap:
                left_out += 1
                continue
            room = cap - added if each is None else min(each, cap - added)
            found = store.expand(chart, sid, hops=hops, max_entities=room,
                                 filters=filters, cancelled=cancelled.is_set)
            add_expansion(chart, store, found)
            decided.update(((d.a, d.b), d) for d in found.decisions)
            added += len(found.entities)
        if links:  # new links between entities on the chart ("New in the store")
            add_expansion(chart, store, links_between(store, chart, links))
    new = [e for i, e in chart.entities.items() if i not in before_entities]
    if each == 1:  # single new entities: each beside what it links to on the chart
        place_beside_neighbours(chart, new, before_entities)
    return Gathered(new, [lk for i, lk in chart.links.items() if i not in before_links],
                    dict(chart.settings.get(SETTING, {})), left_out, list(decided.values()))


def _drawn_from(source: StoreSource, chart: Chart) -> None:
    """StoreError unless ``chart`` was drawn from ``source`` (its store ids mean nothing in
    another store)."""
    if not source.is_source_of(chart):
        raise StoreError(f"this chart was not drawn from {source.name}: open that store")


def each_link(source: StoreSource, chart: Chart, link_id: str, _cancelled: threading.Event
              ) -> Gathered:
    """Show Each Link: the store links the connection ``link_id`` of ``chart`` (a snapshot,
    changed here) stands for, and the chart's record of store ids once they are in its
    place."""
    _drawn_from(source, chart)
    with closing(source.open()) as store:
        found = store.each_link(chart, link_id)
        add_expansion(chart, store, found)
    return Gathered([], found.links, dict(chart.settings.get(SETTING, {})))


def first_records(source: StoreSource, chart: Chart, link_id: str, limit: int,
                  _cancelled: threading.Event) -> list[SourceRecord]:
    """The first ``limit`` source records of the store links the connection ``link_id`` of
    ``chart`` (a snapshot: connection_snapshot) stands for, read from the store."""
    _drawn_from(source, chart)
    with closing(source.open()) as store:
        return store.first_records(chart, link_id, limit=limit)


def connection_snapshot(chart: Chart, link_id: str) -> Chart:
    """What a worker needs of a chart to find a connection's store links: the line, its two
    ends, and the chart's record of the store for those three (a hub's chart lists 75,000
    lines: copying it all to read one line's records took longer than the read)."""
    link = chart.links[link_id]
    setting = store_setting(chart)
    copy = Chart()
    ends = [chart.entities[link.end1], chart.entities[link.end2]]
    copy.add_entities([replace(e, attributes=dict(e.attributes)) for e in ends])
    copy.add_links([replace(link, attributes=dict(link.attributes))])
    copy.set_setting(SETTING, {
        "file": setting.get("file"),
        "entities": {e.id: setting["entities"][e.id] for e in ends
                     if e.id in setting.get("entities", {})},
        "connections": {link_id: setting["connections"][link_id]}})
    return copy


def import_into_store(location: str, password: str | None, spec: ImportSpec, spec_text: str,
                      files: Sequence[Path], progress: Callable[[float, str], None],
                      cancelled: threading.Event) -> ImportResult:
    """Files into the store (opened for writing, for this one import), as ``workbench store
    import`` does it. Cancel reaches into the running statement, DuckDB's read of a large
    file included, and the store is left as it was."""
    with closing(open_store(location, password=password)) as store:
        return store.import_files(spec, spec_text, files, places=place_namer(),
                                  progress=progress, cancelled=cancelled.is_set)


def save_decisions(location: str, password: str | None, decided: Sequence[Decision],
                   _cancelled: threading.Event) -> int:
    """Write the chart's decisions into its store (a file opened for writing, alone, for
    this one transaction; a shared store as the analyst, with the password the dock holds);
    those the store holds already, the same way, are not written again, so each keeps who
    decided it and when. Returns how many were written."""
    with closing(open_store(location, password=password)) as store:
        held = {(d.a, d.b, d.decision)
                for d in store.decisions(sorted({i for d in decided for i in (d.a, d.b)}))}
        return store.record_decisions([d for d in decided
                                       if (d.a, d.b, d.decision) not in held])


def place_beside_neighbours(chart: Chart, entities: Sequence[Entity], old: set[str]) -> None:
    """Put each entity on a free spot around the first entity it links to among ``old``
    (those on the chart before), so a short link joins it to the chart; an entity with no
    such link stays where the store's layout put it."""
    taken = [(e.x, e.y) for i, e in chart.entities.items() if i in old]
    for entity in entities:
        anchor = next((lk.other_end(entity.id) for lk in chart.links_of(entity.id)
                       if lk.other_end(entity.id) in old), None)
        if anchor is None:
            continue
        ax, ay = chart.entity(anchor).x, chart.entity(anchor).y
        spots = [(ax + r * math.cos(a * math.pi / 6), ay + r * math.sin(a * math.pi / 6))
                 for r in RINGS for a in range(12)]
        x, y = next((p for p in spots if all(math.dist(p, q) >= FREE for q in taken)),
                    spots[-1])
        entity.x, entity.y = x, y
        taken.append((x, y))


def news(source: StoreSource, chart: Chart, _cancelled: threading.Event) -> News:
    """What came into the store since the chart was drawn that touches its entities."""
    setting = store_setting(chart)
    ids = list(store_ids(chart, source).values())
    if not ids or not setting.get("drawn_at"):
        raise StoreError(f"this chart was not drawn from {source.name}: nothing to compare")
    since = setting.get("last_source")
    if not isinstance(since, int) or isinstance(since, bool):  # drawn before it was kept
        since = datetime.fromisoformat(setting["drawn_at"])
    known = [int(v) for v in setting.get("links", {}).values()]
    with closing(source.open()) as store:
        found = store.news(ids, since, known_links=known)
        rows = [row for sid in found.entity_ids[:NEWS_LISTED]
                if (row := store.entity(sid)) is not None]
        between = links_between(store, chart, found.link_ids[:NEWS_LISTED], grouped=False)
        links = [(between.link_ids[lk.id], f"{chart.entity(lk.end1).label} - {lk.type} - "
                  f"{chart.entity(lk.end2).label}") for lk in between.links]
        return News(found, rows, store.info(), links)


# ----- on the GUI thread -----------------------------------------------------------------------
class _Progress(QObject):
    """Lives on the GUI thread: a worker's progress reaches the dialog through it."""

    moved = Signal(float, str)


class StoreRunner(QObject):
    """Runs one store operation at a time on the thread pool: a progress dialog with Cancel
    after a moment, the result to ``done`` on the GUI thread, any failure as one message."""

    def __init__(self, parent: QWidget, show_error: Callable[[str, str], object]) -> None:
        super().__init__(parent)
        self.parent_widget, self.show_error = parent, show_error
        self.job: Job | None = None
        self.dialog: QProgressDialog | None = None
        self._heading = ""
        self._last: tuple[float, str] | None = None
        self.relay = _Progress(self)
        self.relay.moved.connect(self._moved)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def report(self, fraction: float, message: str) -> None:  # from the worker
        self.relay.moved.emit(float(fraction), message)

    def run(self, what: str, work: Callable[[threading.Event], object],
            done: Callable[[Any], object]) -> Job:
        """Start ``work(cancelled)``; ``done(result)`` when it completes (not if cancelled)."""
        self.cancel()
        job = Job(work, owner=self.parent_widget, what=what, plain=(StoreError,),
                  on_done=lambda result: self._finish(job, lambda: done(result)),
                  on_failed=lambda error: self._finish(job, lambda: self._failed(error)))
        self.job = job
        self._last = None
        job.start()
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, lambda: self._show_progress(job, what))
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None
        self._close_dialog()

    def _finish(self, job: Job, then: Callable[[], object]) -> None:
        if job is not self.job:
            return
        self.job = None
        self._close_dialog()
        then()

    def _failed(self, error: str) -> None:
        """A store's refusal names the file and the reason in one line: shown as it is."""
        if error != "cancelled":
            self.show_error("Store", error)

    def _show_progress(self, job: Job, what: str) -> None:
        if job is not self.job:
            return
        dialog = QProgressDialog(self.parent_widget)
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)  # a store's file name is data
        dialog.setLabel(label)
        self._heading = f"{what[:1].upper()}{what[1:]}..."
        dialog.setLabelText(self._heading)
        dialog.setCancelButtonText("Cancel")
        dialog.setRange(0, 100)
        dialog.setWindowTitle("Store")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        if self._last is not None:
            self._moved(*self._last)
        dialog.open()

    def _moved(self, fraction: float, message: str) -> None:
        self._last = (fraction, message)  # shown when the dialog opens, if it is not yet
        if self.dialog is not None:
            self.dialog.setValue(max(0, min(99, int(fraction * 100))))
            self.dialog.setLabelText(f"{self._heading}\n{message}")  # what, then how far

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog = None
