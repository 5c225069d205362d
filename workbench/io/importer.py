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
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.io.import_items import Absorb, entity_details, make_links
from workbench.io.import_places import (
    ALIASES,
    PlaceNamer,
    country_labels,
    is_country_type,
    is_location_type,
    older_keys,
    place_names,
    spellings,
    suggest,
)
from workbench.io.import_plan import ImportPlan, gc_paused
from workbench.io.import_report import ERROR, FileSummary, ImportReport, Issue
from workbench.io.import_rows import (
    DateColumn,
    IssueMaker,
    account,
    bad_identities,
    note_undated,
    read_dates,
)
from workbench.io.import_setup import (
    ChartWithTypes,
    first_free_id,
    pair_files,
    place_grid,
    source_frame,
    total_size,
)
from workbench.io.import_values import Normaliser, evaluate
from workbench.io.importspec import Condition, FilterSpec, ImportSpec, SourceSpec, load_spec
from workbench.io.readers import read_table
from workbench.io.text_table import ReadError, Table
from workbench.model import (
    Chart,
    Entity,
    Kind,
    SourceRecord,
    Value,
)

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]
LARGE_INPUT_BYTES = 5_000_000  # from this much input, pause the cycle collector


class ImportCancelled(Exception):
    """The user pressed Cancel; nothing was changed."""


# ----- the builder ----------------------------------------------------------------------------
class _Builder:
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

    # one file (or sheet) ------------------------------------------------------------------
    def add_table(self, spec: ImportSpec, source: SourceSpec, table: Table,
                  done: float, share: float) -> None:
        report = self.plan.report
        frame, n = source_frame(table, source), len(table.frame)
        spec.check_columns([str(c) for c in frame.columns], table.where())
        summary = FileSummary(table.path.name, table.sheet, table.encoding,
                              table.encoding_guessed, rows_read=n)
        report.files.append(summary)
        report.issues.extend(table.issues)
        rows = table.row_numbers
        issue = IssueMaker(table, report)
        keep = np.ones(n, dtype=bool)
        for f in spec.filters:
            keep &= _passes(frame, f)
        invalid = np.zeros(n, dtype=bool)  # rows with an identity that is not valid
        # identities, per role: (positions, raw texts, key codes, keys)
        roles: dict[str, tuple[np.ndarray, pd.Series, np.ndarray, list[str]]] = {}
        canon: dict[str, pd.Series] = {}  # role -> Location names as the gazetteer has them
        for role, e in spec.entities.items():
            ident = evaluate(frame, e.identity)
            mine = keep & _passes(frame, e.when) if e.when is not None else keep
            if e.split:
                parts = ident[mine].str.split(e.split, regex=False).explode().str.strip()
            else:
                parts = ident[mine]
            parts = parts[parts.notna() & (parts != "")]
            column = ", ".join(e.identity.columns)
            has = np.zeros(n, dtype=bool)
            has[parts.index.to_numpy()] = True
            issue.rows(mine & ~has, column, f"entities.{role}: empty, so no {e.type} and no "
                       "link to it", f"row(s) with no {role} ({column} empty): no {e.type} "
                       "made and no link to it")
            named = parts
            if self.places is not None and is_location_type(e.type):
                named = place_names(parts, self.places)
                canon[role] = named
            key_codes, keys, errors = self.norm.identities(e.type, named)
            pos = parts.index.to_numpy()
            bad = bad_identities(issue, pos, parts, errors, role, e.type, column)
            if bad.any():
                invalid[pos[bad]] = True
                pos, parts, key_codes = pos[~bad], parts[~bad], key_codes[~bad]
            roles[role] = (pos, parts, key_codes, keys)
            self.check()
        self.progress(done + share * 0.3, f"{table.where()}: identities")
        # dates of entities and links: one read per distinct template; a date that cannot
        # be read is left empty with a warning
        dated = [(f"entities.{r}", e.date, e.date_formats) for r, e in spec.entities.items()]
        dated += [(f"links[{i}]", lk.date, lk.date_formats) for i, lk in enumerate(spec.links)]
        columns: dict[tuple[str, tuple[str, ...]], DateColumn] = {}
        key_of: dict[str, tuple[str, tuple[str, ...]]] = {}
        for key, tpl, formats in dated:
            if tpl is None:
                continue
            tkey = (tpl.text, formats)
            if tkey not in columns:
                columns[tkey] = read_dates(frame, keep, self.norm, issue, tpl, formats,
                                           report.notes, table.where())
            key_of[key] = tkey
        dates = {key: columns[tkey] for key, tkey in key_of.items()}
        self.check()
        # entities
        name = source.name or table.path.name
        records = np.full(n, None, dtype=object)  # one SourceRecord per row, shared
        live = np.flatnonzero(keep)
        file_name, sheet, at = table.path.name, table.sheet, self.imported_at
        rel, cred = source.reliability, source.credibility
        records[live] = list(map(SourceRecord, repeat(name), repeat(file_name), repeat(sheet),
                                 rows[live].tolist(), repeat(at), repeat(rel), repeat(cred)))

        members: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # role -> (pos, item index)
        touched_pos: list[np.ndarray] = []
        touched_item: list[np.ndarray] = []
        for role, e in spec.entities.items():
            pos, raws, codes, keys = roles[role]
            used, first = np.unique(codes, return_index=True)
            # the identity as its first row wrote it (a country: its English name)
            written = raws.iloc[first].to_numpy(dtype=object)
            country = is_country_type(self.chart, e.type)
            place = role in canon  # a Location placed by the gazetteer: labelled by its name
            if place:
                written = canon[role].loc[raws.index[first]].to_numpy(dtype=object)
            if country:
                written = np.array(country_labels(keys, used, written), dtype=object)
                suggest(issue, pos, raws, codes, keys, ", ".join(e.identity.columns))
            if e.label is None:
                labels, explicit = written, None
            else:  # each entity's first non-empty label, else the identity as written
                given = evaluate(frame, e.label).to_numpy(dtype=object)[pos]
                filled = np.flatnonzero(given != "")
                has, at = np.unique(codes[filled], return_index=True)
                chosen = dict(zip(has.tolist(), given[filled[at]].tolist(), strict=True))
                labels = [chosen.get(c, w) for c, w in zip(used.tolist(), written,
                                                           strict=True)]
                explicit = [c in chosen for c in used.tolist()]
            item_of = np.full(len(keys), -1, dtype=np.int64)
            older = older_keys(raws.iloc[first]) if country or place else [None] * len(used)
            for j, (c, lab) in enumerate(zip(used.tolist(), labels, strict=True)):
                item_of[c] = self.entity_index(e.type, keys[c], lab,
                                               explicit is not None and explicit[j], older[j])
            items = item_of[codes]
            if country or place:
                for c, spelt in spellings(raws, codes).items():
                    self.spellings.setdefault(int(item_of[c]), {}).update(
                        dict.fromkeys(spelt))
            members[role] = (pos, items)
            touched_pos.append(pos)
            touched_item.append(items)
            summary.made[f"entities.{role} ({e.type})"] = _count_rows(pos, n)
            date = dates.get(f"entities.{role}")
            if date is not None:
                date.used[pos] = True
            entity_details(self, frame, e, pos, items, date, issue)
        self.check()
        self.progress(done + share * 0.55, f"{table.where()}: entities")
        # provenance: every row that made or touched an entity, once, in row order
        span = n + 1
        both = _sorted_unique(np.concatenate(touched_item) * span
                              + np.concatenate(touched_pos)) \
            if touched_pos else np.zeros(0, dtype=np.int64)
        if len(both):
            items_arr, pos_arr = both // span, both % span  # sorted by item, then row
            cuts = np.flatnonzero(np.diff(items_arr)) + 1
            starts = np.concatenate(([0], cuts)).tolist()
            ends = np.concatenate((cuts, [len(both)])).tolist()
            row_records = records[pos_arr].tolist()
            for item, a, b in zip(items_arr[starts].tolist(), starts, ends, strict=True):
                self.items[item].provenance.extend(row_records[a:b])
        # links
        linked_any = np.zeros(n, dtype=bool)
        for i, lk in enumerate(spec.links):
            date = dates.get(f"links[{i}]")
            linked = make_links(self, frame, i, lk, members, date, records, issue)
            linked_any[linked] = True
            if date is not None:
                date.used[linked] = True
            summary.made[f"links[{i}] {lk.type} ({lk.source} -> {lk.target})"] = \
                _count_rows(linked, n)
            self.check()
        self.progress(done + share * 0.95, f"{table.where()}: links")
        note_undated(issue, columns, key_of)
        made = np.zeros(n, dtype=bool)
        for pos_array in touched_pos:
            made[pos_array] = True
        if spec.links:
            summary.unlinked = int((made & ~linked_any).sum())
        account(summary, issue, keep, made, invalid, spec)

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


def _count_rows(positions: np.ndarray, n: int) -> int:
    """How many distinct rows (a mask, not np.unique: see _sorted_unique)."""
    mask = np.zeros(n, dtype=bool)
    mask[positions] = True
    return int(mask.sum())


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique took seconds on millions of
    integers)."""
    values = np.sort(values)
    if len(values):
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def _passes(frame: pd.DataFrame, f: FilterSpec | Condition) -> np.ndarray:
    if isinstance(f, Condition):
        passed = [_passes(frame, p) for p in f.parts]
        if f.op == "not":
            return ~passed[0]
        return np.logical_and.reduce(passed) if f.op == "and" else \
            np.logical_or.reduce(passed)
    inside = frame[f.column].str.strip().isin(f.in_ or f.not_in or ()).to_numpy()
    return inside if f.in_ is not None else ~inside


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
    builder = _Builder(chart, region, progress, cancelled)
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


def _run_jobs(builder: _Builder, jobs: list, share: float,
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
        builder.add_table(s, source, table, k * share, share)


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
