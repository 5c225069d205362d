"""Building an import: rows + specification + chart -> an ImportPlan of plain data.

``build_import`` reads the chart (to merge by identity) but never changes it, so it can run on
a worker thread; ``ImportPlan.apply`` then changes the chart in a few batch calls on the GUI
thread and ``ImportPlan.revert`` undoes exactly that, which makes a whole import one undo step.
The work is column-wise (pandas) with each distinct value normalised once, which is what lets a
million call records import in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from workbench.io.import_items import Absorb
from workbench.io.import_places import ALIASES, PlaceNamer
from workbench.io.import_plan import ImportPlan, gc_paused
from workbench.io.import_report import ERROR, FileSummary, ImportReport, Issue
from workbench.io.import_setup import (
    ChartWithTypes,
    first_free_id,
    pair_files,
    place_grid,
    source_frame,
    total_size,
)
from workbench.io.import_table import add_table
from workbench.io.import_values import Normaliser
from workbench.io.importspec import ImportSpec, SourceSpec, load_spec
from workbench.io.readers import read_table
from workbench.io.text_table import ReadError, Table
from workbench.model import Chart, Entity, Kind, Value

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]
LARGE_INPUT_BYTES = 5_000_000  # from this much input, pause the cycle collector


class ImportCancelled(Exception):
    """The user pressed Cancel; nothing was changed."""


# ----- the builder ----------------------------------------------------------------------------
class Builder:
    """An import in the making: the entities met so far across files (by type and identity),
    ids for new items, and the plan they become (finish). import_table.add_table fills it."""

    def __init__(self, chart: Chart, region: str | None, progress: Progress | None,
                 cancelled: Cancelled | None) -> None:
        self.chart = chart
        self.norm = Normaliser(chart, region)
        self.progress = progress or (lambda f, m: None)
        self.cancelled = cancelled or (lambda: False)
        self.imported_at = datetime.now(UTC).replace(microsecond=0)
        self.plan = ImportPlan()
        self.items: list[Entity | Absorb] = []
        self.index: dict[tuple[str, str], int] = {}
        self.absorbing: dict[str, int] = {}  # chart entity id -> its Absorb item
        self.next_id = first_free_id(chart)
        self.explicit: set[int] = set()  # items whose label came from a spec's label:
        self.spellings: dict[int, dict[str, None]] = {}  # item -> how rows wrote it (countries)
        self.places: PlaceNamer | None = None  # Location texts -> the gazetteer's name

    def check(self) -> None:
        if self.cancelled():
            raise ImportCancelled("import cancelled")

    def new_ids(self, prefix: str, count: int) -> list[str]:
        start, self.next_id = self.next_id, self.next_id + count
        return [f"{prefix}{i}" for i in range(start, start + count)]

    def entity_index(self, type_name: str, key: str, label: str, explicit: bool = False,
                     older_key: str | None = None) -> int:
        """The item for (type, key), made on first sight. Labels: an explicit ``label:``
        beats the default (the identity as written), whichever came first; between two
        explicit labels, or two defaults, the first wins. An entity already in the chart
        keeps its label (the analyst may have edited it)."""
        found = self.index.get((type_name, key))
        if found is not None:
            item = self.items[found]
            if explicit and label and isinstance(item, Entity) and found not in self.explicit:
                item.label = label
                self.explicit.add(found)
            return found
        existing = self.chart.find(type_name, key)
        if existing is None and older_key is not None:  # a chart from before ISO codes
            existing = self.chart.find(type_name, older_key)
        if existing is not None and existing.id in self.absorbing:
            # two identities, one entity: both were merged into it (Merge Entities)
            self.index[(type_name, key)] = self.absorbing[existing.id]
            return self.absorbing[existing.id]
        if existing is not None:
            self.absorbing[existing.id] = len(self.items)
            item: Entity | Absorb = Absorb(existing.id,
                                             existing=frozenset(existing.attributes))
        else:
            item = Entity(id=f"e{self.next_id}", type=type_name, label=label or key,
                          identity=key)
            self.next_id += 1
        self.index[(type_name, key)] = len(self.items)
        if explicit and label:
            self.explicit.add(len(self.items))
        self.items.append(item)
        return len(self.items) - 1

    def finish(self) -> ImportPlan:
        plan, report = self.plan, self.plan.report
        for index, spelt in self.spellings.items():
            item = self.items[index]
            label = item.label if isinstance(item, Entity) else None
            others = [s for s in spelt if s != label]
            if others and ALIASES not in item.attributes and not (
                    isinstance(item, Absorb) and ALIASES in item.existing):
                item.attributes[ALIASES] = Value(Kind.TEXT, "; ".join(others))
        for item in self.items:
            if isinstance(item, Entity):
                plan.entities.append(item)
            else:
                plan.absorbed[item.id] = (item.provenance, item.attributes)
        report.entities_new = len(plan.entities)
        report.entities_merged = len(plan.absorbed)
        report.links_new = len(plan.links)
        place_grid(self.chart, plan.entities)
        return plan


# ----- public API -------------------------------------------------------------------------------
def build_import(spec: ImportSpec | Sequence[ImportSpec], files: Sequence[str | Path] = (),
                 chart: Chart | None = None, *, progress: Progress | None = None,
                 cancelled: Cancelled | None = None,
                 reader: Callable[[Path, SourceSpec], Table] = read_table,
                 places: PlaceNamer | None = None,
                 normaliser: Normaliser | None = None,
                 pause_gc: bool | None = None) -> ImportPlan:
    """Plan an import of ``files`` through ``spec`` into ``chart`` (read, never changed).

    A file that cannot be read is listed in the report and the others go on; a spec that
    names a column a file lacks raises SpecError; Cancel raises ImportCancelled. ``reader``
    lets the wizard reuse the tables it has already read for its preview. ``places`` names
    Location entities as a gazetteer does (``workbench.geo.place_namer()``; io sits below geo,
    so the caller passes it): "Lagos" and "Lagos, Nigeria" are then one entity.
    ``normaliser`` carries its caches of normalised values over from an earlier call (a store
    imports a large file chunk by chunk: each phone number is normalised once, not per chunk).
    ``pause_gc`` overrides the choice by input size of pausing (and then freezing) the cycle
    collector: a caller that imports chunk after chunk says False and collects itself, since
    frozen chunks would never be freed.
    """
    chart = chart if chart is not None else Chart()
    jobs = pair_files(spec, files)
    region = next((s.region for s, _, _ in jobs if s.region), None)
    builder = Builder(chart, region, progress, cancelled)
    if normaliser is not None:
        normaliser.chart = chart
        builder.norm = normaliser
    builder.places = places
    link_types = {t.name: t for s, _, _ in jobs for t in s.link_types}
    builder.plan.link_types = [t for t in link_types.values()
                               if chart.catalogue.link_types.get(t.name) != t]
    types = {t.name: t for s, _, _ in jobs for t in s.types}
    if types:
        builder.plan.entity_types = [t for t in types.values()
                                     if chart.catalogue.entity_types.get(t.name) != t]
        builder.chart = ChartWithTypes(chart, list(types.values()))
        builder.norm.chart = builder.chart
    share = 1.0 / max(1, len(jobs))
    with gc_paused(total_size(jobs) > LARGE_INPUT_BYTES if pause_gc is None else pause_gc):
        _run_jobs(builder, jobs, share, reader)
    plan = builder.finish()
    builder.progress(1.0, "ready")
    return plan


def _run_jobs(builder: Builder, jobs: list, share: float,
              reader: Callable[[Path, SourceSpec], Table]) -> None:
    for k, (s, source, path) in enumerate(jobs):
        builder.progress(k * share, f"reading {Path(path).name}")
        try:
            table = reader(Path(path), source)
        except ReadError as exc:
            _check_header(s, source, Path(path))  # a spec for another file says so first
            builder.plan.report.files.append(FileSummary(Path(path).name, str(source.sheet or "")))
            builder.plan.report.issues.append(Issue(Path(path).name, str(source.sheet or ""), 0,
                                                    "", "", str(exc), ERROR))
            continue
        builder.check()
        add_table(builder, s, source, table, k * share, share)


def _check_header(spec: ImportSpec, source: SourceSpec, path: Path) -> None:
    """A file that cannot be read whole (a ragged row further down) may still have a header
    that shows the spec was written for another file: then that is the error to give, naming
    the missing columns, rather than the parser's complaint about line 3,000."""
    try:
        head = read_table(path, source, nrows=1)
    except ReadError:
        return
    spec.check_columns([str(c) for c in source_frame(head, source).columns], head.where())


def import_files(spec: ImportSpec | str | Path, files: Sequence[str | Path] = (), *,
                 into: Chart, progress: Progress | None = None) -> ImportReport:
    """Import in one call (scripts, the CLI): build the plan and apply it to ``into``."""
    if not isinstance(spec, ImportSpec):
        spec = load_spec(spec)
    plan = build_import(spec, files, into, progress=progress)
    plan.apply(into)
    return plan.report
