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
from workbench.io.import_rows import (
    DateColumn,
    IssueMaker,
    account,
    bad_identities,
    note_undated,
    read_dates,
    value_group,
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
        self.explicit: set[int] = set()  # items whose label came from a spec's label:

    def check(self) -> None:
        if self.cancelled():
            raise ImportCancelled("import cancelled")

    def new_ids(self, prefix: str, count: int) -> list[str]:
        start, self.next_id = self.next_id, self.next_id + count
        return [f"{prefix}{i}" for i in range(start, start + count)]

    def entity_index(self, type_name: str, key: str, label: str, explicit: bool = False) -> int:
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
        if existing is not None:
            item: Entity | _Absorb = _Absorb(existing.id,
                                             existing=frozenset(existing.attributes))
        else:
            item = Entity(id=self.new_ids("e", 1)[0], type=type_name, label=label or key,
                          identity=key)
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
        rows = table.row_numbers
        issue = IssueMaker(table, report)
        keep = np.ones(n, dtype=bool)
        for f in spec.filters:
            keep &= _passes(frame, f)
        invalid = np.zeros(n, dtype=bool)  # rows with an identity that is not valid
        # identities, per role: (positions, raw texts, key codes, keys)
        roles: dict[str, tuple[np.ndarray, pd.Series, np.ndarray, list[str]]] = {}
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
            key_codes, keys, errors = self.norm.identities(e.type, parts)
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
        records[live] = [SourceRecord(name, file_name, sheet, r, at, rel, cred)
                         for r in rows[live].tolist()]

        members: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # role -> (pos, item index)
        touched_pos: list[np.ndarray] = []
        touched_item: list[np.ndarray] = []
        for role, e in spec.entities.items():
            pos, raws, codes, keys = roles[role]
            used, first = np.unique(codes, return_index=True)
            # the identity as its first row wrote it
            written = raws.iloc[first].to_numpy(dtype=object)
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
            for j, (c, lab) in enumerate(zip(used.tolist(), labels, strict=True)):
                item_of[c] = self.entity_index(e.type, keys[c], lab,
                                               explicit is not None and explicit[j])
            items = item_of[codes]
            members[role] = (pos, items)
            touched_pos.append(pos)
            touched_item.append(items)
            summary.made[f"entities.{role} ({e.type})"] = _count_rows(pos, n)
            date = dates.get(f"entities.{role}")
            if date is not None:
                date.used[pos] = True
            self._entity_details(frame, e, pos, items,
                                 date.values if date is not None else None, issue)
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
            linked = self._links(frame, i, lk, members,
                                 date.values if date is not None else None, records, issue)
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
                    col = ", ".join(a.column.columns)
                    issue(p, col, r, f"{a.name}: {w}", WARNING, value_group(col, a.kind, w))
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
                          WARNING, f"coordinates in {e.lat!r}, {e.lon!r} could not be read, "
                          "such as {example}; left empty")

    def _links(self, frame: pd.DataFrame, i: int, lk, members, dates, records: np.ndarray,
               issue) -> np.ndarray:
        """Make the links of ``lk``; returns the rows that made one."""
        src_pos, src_items = members[lk.source]
        tgt_pos, tgt_items = members[lk.target]
        pairs = pd.DataFrame({"pos": src_pos, "a": src_items}).merge(
            pd.DataFrame({"pos": tgt_pos, "b": tgt_items}), on="pos", sort=True)
        if pairs.empty:
            return np.zeros(0, dtype=np.int64)
        rows_linked = pairs["pos"].to_numpy()
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
                    col = ", ".join(a.column.columns)
                    issue(pos[k], col, texts[k], f"{a.name}: {warnings[j]}", WARNING,
                          value_group(col, a.kind, warnings[j]))
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
        return rows_linked

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


def _passes(frame: pd.DataFrame, f: FilterSpec) -> np.ndarray:
    inside = frame[f.column].str.strip().isin(f.in_ or f.not_in or ()).to_numpy()
    return inside if f.in_ is not None else ~inside


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
