"""Building an import: rows + specification + chart -> an ImportPlan of plain data.

``build_import`` reads the chart (to merge by identity) but never changes it, so it can run on
a worker thread; ``ImportPlan.apply`` then changes the chart in a few batch calls on the GUI
thread and ``ImportPlan.revert`` undoes exactly that, which makes a whole import one undo step.
The work is column-wise (pandas) with each distinct value normalised once, which is what lets a
million call records import in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.io.import_plan import ImportPlan, gc_paused
from workbench.io.import_report import ERROR, WARNING, FileSummary, ImportReport, Issue
from workbench.io.import_setup import (
    ChartWithTypes,
    first_free_id,
    pair_files,
    place_grid,
    total_size,
)
from workbench.io.import_values import Normaliser, evaluate
from workbench.io.importspec import FilterSpec, ImportSpec, SourceSpec, load_spec
from workbench.io.readers import ReadError, Table, read_table
from workbench.model import (
    Chart,
    Entity,
    Link,
    SourceRecord,
    Value,
)
from workbench.model.items import DEFAULT_STYLE
from workbench.model.kinds import ParseError, parse_coordinates

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]
LARGE_INPUT_BYTES = 5_000_000  # from this much input, pause the cycle collector


class ImportCancelled(Exception):
    """The user pressed Cancel; nothing was changed."""


@dataclass(slots=True)
class _Absorb:
    """Additions to an entity already in the chart (merged by identity)."""

    id: str
    provenance: list[SourceRecord] = field(default_factory=list)
    attributes: dict[str, Value] = field(default_factory=dict)
    existing: frozenset[str] = frozenset()  # attribute names it has already


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
        self.items: list[Entity | _Absorb] = []
        self.index: dict[tuple[str, str], int] = {}
        self.next_id = first_free_id(chart)

    def check(self) -> None:
        if self.cancelled():
            raise ImportCancelled("import cancelled")

    def new_ids(self, prefix: str, count: int) -> list[str]:
        start, self.next_id = self.next_id, self.next_id + count
        return [f"{prefix}{i}" for i in range(start, start + count)]

    def entity_index(self, type_name: str, key: str, label: str) -> int:
        found = self.index.get((type_name, key))
        if found is not None:
            return found
        existing = self.chart.find(type_name, key)
        if existing is not None:
            item: Entity | _Absorb = _Absorb(existing.id,
                                             existing=frozenset(existing.attributes))
        else:
            item = Entity(id=self.new_ids("e", 1)[0], type=type_name, label=label or key,
                          identity=key)
        self.index[(type_name, key)] = len(self.items)
        self.items.append(item)
        return len(self.items) - 1

    # one file (or sheet) ------------------------------------------------------------------
    def add_table(self, spec: ImportSpec, source: SourceSpec, table: Table,
                  done: float, share: float) -> None:
        report = self.plan.report
        frame, n = table.frame, len(table.frame)
        spec.check_columns(table.columns, table.where())
        summary = FileSummary(table.path.name, table.sheet, table.encoding,
                              table.encoding_guessed, rows_read=n)
        report.files.append(summary)
        report.issues.extend(table.issues)
        rows = table.row_numbers
        issue = _issue_maker(table, report)
        keep = np.ones(n, dtype=bool)
        for f in spec.filters:
            keep &= _passes(frame, f)
        rejected = np.zeros(n, dtype=bool)
        # identities, per role: (positions, raw texts, keys)
        roles: dict[str, tuple[np.ndarray, pd.Series, np.ndarray, list[str]]] = {}
        for role, e in spec.entities.items():
            ident = evaluate(frame, e.identity)
            mine = keep & _passes(frame, e.when) if e.when is not None else keep
            if e.split:
                parts = ident[mine].str.split(e.split, regex=False).explode().str.strip()
            else:
                parts = ident[mine]
            parts = parts[parts.notna() & (parts != "")]
            made = parts.index.nunique() if e.split else len(parts)
            empty = int(mine.sum()) - made
            if empty:
                report.notes.append(f"{table.where()}: entities.{role}: {empty:,} row(s) with "
                                    "no value (no entity and no link made from it)")
            key_codes, keys, errors = self.norm.identities(e.type, parts)
            pos = parts.index.to_numpy()
            bad = np.flatnonzero(errors != None)  # noqa: E711 - elementwise
            column = ", ".join(e.identity.columns)
            for i in bad:
                issue(pos[i], column, parts.iloc[i], f"{role}: {errors[i]}", ERROR)
            rejected[pos[bad]] = True
            roles[role] = (pos, parts, key_codes, keys)
            self.check()
        self.progress(done + share * 0.3, f"{table.where()}: identities")
        # dates of entities and links: a date that fits no format rejects the row
        dated = [(f"entities.{r}", e.date, e.date_formats) for r, e in spec.entities.items()]
        dated += [(f"links[{i}]", lk.date, lk.date_formats) for i, lk in enumerate(spec.links)]
        dates: dict[str, np.ndarray] = {}
        for key, tpl, formats in dated:
            if tpl is None:
                continue
            texts = evaluate(frame, tpl)
            values = np.full(n, None, dtype=object)
            filled = np.flatnonzero(keep & (texts != "").to_numpy())
            codes, uniques = pd.factorize(texts.iloc[filled])
            uniques = np.asarray(uniques, dtype=object)
            got = np.empty(len(uniques), dtype=object)
            got[:] = self.norm.dates(list(uniques), formats)
            bad = np.array([isinstance(d, ParseError) for d in got], dtype=bool)
            values[filled] = got[codes]
            for j in np.flatnonzero(bad[codes]):
                p = filled[j]
                issue(p, ", ".join(tpl.columns), uniques[codes[j]], f"{key}.date: {got[codes[j]]}",
                      ERROR)
                rejected[p] = True
                values[p] = None
            dates[key] = values
        valid = keep & ~rejected
        self.check()
        # entities
        name = source.name or table.path.name
        records = np.full(n, None, dtype=object)  # one SourceRecord per row, shared
        valid_pos = np.flatnonzero(valid)
        file_name, sheet, at = table.path.name, table.sheet, self.imported_at
        rel, cred = source.reliability, source.credibility
        records[valid_pos] = [SourceRecord(name, file_name, sheet, r, at, rel, cred)
                              for r in rows[valid_pos].tolist()]

        members: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # role -> (pos, item index)
        touched_pos: list[np.ndarray] = []
        touched_item: list[np.ndarray] = []
        for role, e in spec.entities.items():
            pos, raws, codes, keys = roles[role]
            ok = valid[pos]
            pos, codes = pos[ok], codes[ok]
            used, first = np.unique(codes, return_index=True)
            # the identity as its first row wrote it
            written = raws.iloc[np.flatnonzero(ok)[first]].to_numpy(dtype=object)
            labels = written if e.label is None else [
                lab or w for lab, w in zip(evaluate(frame, e.label).iloc[pos[first]]
                                           .to_numpy(dtype=object), written, strict=True)]
            item_of = np.full(len(keys), -1, dtype=np.int64)
            for c, lab in zip(used.tolist(), labels, strict=True):
                item_of[c] = self.entity_index(e.type, keys[c], lab)
            items = item_of[codes]
            members[role] = (pos, items)
            touched_pos.append(pos)
            touched_item.append(items)
            self._entity_details(frame, e, pos, items, dates.get(f"entities.{role}"), issue)
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
        for i, lk in enumerate(spec.links):
            self._links(frame, i, lk, members, dates.get(f"links[{i}]"), records, issue)
            self.check()
        self.progress(done + share * 0.95, f"{table.where()}: links")
        imported = np.zeros(n, dtype=bool)
        for pos_array in touched_pos:
            imported[pos_array] = True
        summary.rows_rejected = int(rejected.sum())
        summary.rows_imported = int(imported.sum())
        summary.rows_skipped = n - summary.rows_rejected - summary.rows_imported

    def _entity_details(self, frame: pd.DataFrame, e, pos: np.ndarray, items: np.ndarray,
                        dates: np.ndarray | None, issue) -> None:
        """Attributes, date and coordinates: the first value found for each entity wins, and
        an entity already in the chart keeps the values it has."""
        if not len(pos):
            return
        firsts = pd.DataFrame({"item": items, "pos": pos})
        for a in e.attributes:
            texts = evaluate(frame, a.column).to_numpy(dtype=object)[pos]
            sel = firsts[texts != ""].drop_duplicates("item")
            if sel.empty:
                continue
            raw = pd.Series(texts[sel.index.to_numpy()], dtype=object)
            values, warnings = self.norm.values(a.kind, raw, a.date_formats)
            for it, p, v, w, r in zip(sel["item"].tolist(), sel["pos"].tolist(), values,
                                      warnings, raw, strict=True):
                target = self.items[it]
                if a.name in target.attributes or (isinstance(target, _Absorb)
                                                   and a.name in target.existing):
                    continue
                target.attributes[a.name] = v
                if w:
                    issue(p, ", ".join(a.column.columns), r, f"{a.name}: {w}", WARNING)
        if dates is not None:
            got = dates[pos]
            has = np.array([d is not None for d in got], dtype=bool)
            for it, d in zip(items[has].tolist(), got[has], strict=True):
                target = self.items[it]
                if isinstance(target, Entity) and target.date is None:
                    target.date = d
        if e.lat is not None:
            lat = frame[e.lat].str.strip().to_numpy(dtype=object)[pos]
            lon = frame[e.lon].str.strip().to_numpy(dtype=object)[pos]
            for it, p, la, lo in zip(items.tolist(), pos.tolist(), lat, lon, strict=True):
                target = self.items[it]
                if not la or not lo or not isinstance(target, Entity) or target.coordinates:
                    continue
                try:
                    target.coordinates = parse_coordinates((la, lo))
                except ParseError as exc:
                    issue(p, f"{e.lat}, {e.lon}", f"{la}, {lo}", f"coordinates: {exc}",
                          WARNING)

    def _links(self, frame: pd.DataFrame, i: int, lk, members, dates, records: np.ndarray,
               issue) -> None:
        src_pos, src_items = members[lk.source]
        tgt_pos, tgt_items = members[lk.target]
        pairs = pd.DataFrame({"pos": src_pos, "a": src_items}).merge(
            pd.DataFrame({"pos": tgt_pos, "b": tgt_items}), on="pos", sort=True)
        if pairs.empty:
            return
        provenance: list[list[SourceRecord]]
        if lk.merge:  # one link per pair of ends, carrying every row that made it
            codes = pd.factorize(pairs["a"].to_numpy() * (len(self.items) + 1)
                                 + pairs["b"].to_numpy())[0]
            order = np.argsort(codes, kind="stable")
            cuts = np.flatnonzero(np.diff(codes[order])) + 1
            groups = np.split(order, cuts)
            row_records = records[pairs["pos"].to_numpy()]
            provenance = [row_records[g].tolist() for g in groups]
            pairs = pairs.iloc[[int(g[0]) for g in groups]]
        else:
            provenance = [[r] for r in records[pairs["pos"].to_numpy()].tolist()]
        pos = pairs["pos"].to_numpy()
        count = len(pos)
        ids = [it.id for it in self.items]
        end1 = [ids[j] for j in pairs["a"].tolist()]
        end2 = [ids[j] for j in pairs["b"].tolist()]
        labels = (evaluate(frame, lk.label).to_numpy(dtype=object)[pos].tolist()
                  if lk.label is not None else [""] * count)
        link_dates = dates[pos].tolist() if dates is not None else [None] * count
        attr_columns: list[tuple[str, np.ndarray]] = []
        for a in lk.attributes:
            texts = evaluate(frame, a.column).to_numpy(dtype=object)[pos]
            filled = np.flatnonzero(texts != "")
            column = np.full(count, None, dtype=object)
            if len(filled):
                values, warnings = self.norm.values(
                    a.kind, pd.Series(texts[filled], dtype=object), a.date_formats)
                column[filled] = values
                for j in np.flatnonzero(warnings != None):  # noqa: E711
                    k = filled[j]
                    issue(pos[k], ", ".join(a.column.columns), texts[k],
                          f"{a.name}: {warnings[j]}", WARNING)
            attr_columns.append((a.name, column))
        if len(attr_columns) == 1:
            only, column = attr_columns[0]
            attributes = [{only: v} if v is not None else {} for v in column.tolist()]
        elif attr_columns:
            names = [nm for nm, _ in attr_columns]
            rows = zip(*(c.tolist() for _, c in attr_columns), strict=True)
            attributes = [{k: v for k, v in zip(names, r, strict=True) if v is not None}
                          for r in rows]
        else:
            attributes = [{} for _ in range(count)]
        new_ids = self.new_ids("l", count)
        kind, direction, strength = lk.type, lk.direction, lk.strength
        self.plan.links.extend(  # positional arguments: a third faster than keywords here
            Link(lid, a, b, kind, label, direction, strength, attrs, d, DEFAULT_STYLE, prov)
            for lid, a, b, label, attrs, d, prov in zip(new_ids, end1, end2, labels,
                                                        attributes, link_dates, provenance,
                                                        strict=True))

    def finish(self) -> ImportPlan:
        plan, report = self.plan, self.plan.report
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


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique took seconds on millions of
    integers)."""
    values = np.sort(values)
    if len(values):
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def _passes(frame: pd.DataFrame, f: FilterSpec) -> np.ndarray:
    inside = frame[f.column].str.strip().isin(f.in_ or f.not_in or ()).to_numpy()
    return inside if f.in_ is not None else ~inside


def _issue_maker(table: Table, report: ImportReport):
    def issue(p: int, column: str, value: object, reason: str, severity: str) -> None:
        report.issues.append(Issue(table.path.name, table.sheet, int(table.row_numbers[p]),
                                   column, str(value), reason, severity))
    return issue


# ----- public API -------------------------------------------------------------------------------
def build_import(spec: ImportSpec | Sequence[ImportSpec], files: Sequence[str | Path] = (),
                 chart: Chart | None = None, *, progress: Progress | None = None,
                 cancelled: Cancelled | None = None,
                 reader: Callable[[Path, SourceSpec], Table] = read_table) -> ImportPlan:
    """Plan an import of ``files`` through ``spec`` into ``chart`` (read, never changed).

    A file that cannot be read is listed in the report and the others go on; a spec that
    names a column a file lacks raises SpecError; Cancel raises ImportCancelled. ``reader``
    lets the wizard reuse the tables it has already read for its preview.
    """
    chart = chart if chart is not None else Chart()
    jobs = pair_files(spec, files)
    region = next((s.region for s, _, _ in jobs if s.region), None)
    builder = _Builder(chart, region, progress, cancelled)
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
    with gc_paused(total_size(jobs) > LARGE_INPUT_BYTES):
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
            builder.plan.report.files.append(FileSummary(Path(path).name, str(source.sheet or "")))
            builder.plan.report.issues.append(Issue(Path(path).name, str(source.sheet or ""), 0,
                                                    "", "", str(exc), ERROR))
            continue
        builder.check()
        builder.add_table(s, source, table, k * share, share)


def import_files(spec: ImportSpec | str | Path, files: Sequence[str | Path] = (), *,
                 into: Chart, progress: Progress | None = None) -> ImportReport:
    """Import in one call (scripts, the CLI): build the plan and apply it to ``into``."""
    if not isinstance(spec, ImportSpec):
        spec = load_spec(spec)
    plan = build_import(spec, files, into, progress=progress)
    plan.apply(into)
    return plan.report
