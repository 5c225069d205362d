"""One file (or sheet) through an import specification, column by column, into the builder.

``add_table`` reads the identities of each role (each distinct value normalised once), the
dates, the entities with their provenance, and the links, for a whole table at a time; the
builder (importer.py) keeps the entities across files and makes the plan. Split from
importer.py so that each stays readable; entity_details and make_links (import_items.py) do
the details of entities and links.
"""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench.io.import_items import entity_details, make_links
from workbench.io.import_places import (
    country_labels,
    is_country_type,
    is_location_type,
    older_keys,
    place_names,
    spellings,
    suggest,
)
from workbench.io.import_report import FileSummary
from workbench.io.import_rows import (
    DateColumn,
    IssueMaker,
    account,
    bad_identities,
    note_undated,
    read_dates,
)
from workbench.io.import_setup import source_frame
from workbench.io.import_values import evaluate
from workbench.io.importspec import Condition, FilterSpec, ImportSpec, SourceSpec
from workbench.io.text_table import Table
from workbench.model import SourceRecord

if TYPE_CHECKING:
    from workbench.io.importer import Builder


def add_table(builder: Builder, spec: ImportSpec, source: SourceSpec, table: Table,
              done: float, share: float) -> None:
    """Plan one table's entities, links and report lines into ``builder``; ``done`` and
    ``share`` place its progress within the whole import. Raises ImportCancelled (through
    ``builder.check``) when the user cancels, SpecError when a column is missing."""
    report = builder.plan.report
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
        if builder.places is not None and is_location_type(e.type):
            named = place_names(parts, builder.places)
            canon[role] = named
        key_codes, keys, errors = builder.norm.identities(e.type, named)
        pos = parts.index.to_numpy()
        bad = bad_identities(issue, pos, parts, errors, role, e.type, column)
        if bad.any():
            invalid[pos[bad]] = True
            pos, parts, key_codes = pos[~bad], parts[~bad], key_codes[~bad]
        roles[role] = (pos, parts, key_codes, keys)
        builder.check()
    builder.progress(done + share * 0.3, f"{table.where()}: identities")
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
            columns[tkey] = read_dates(frame, keep, builder.norm, issue, tpl, formats,
                                       report.notes, table.where())
        key_of[key] = tkey
    dates = {key: columns[tkey] for key, tkey in key_of.items()}
    builder.check()
    # entities
    name = source.name or table.path.name
    records = np.full(n, None, dtype=object)  # one SourceRecord per row, shared
    live = np.flatnonzero(keep)
    file_name, sheet, at = table.path.name, table.sheet, builder.imported_at
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
        country = is_country_type(builder.chart, e.type)
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
            item_of[c] = builder.entity_index(e.type, keys[c], lab,
                                           explicit is not None and explicit[j], older[j])
        items = item_of[codes]
        if country or place:
            for c, spelt in spellings(raws, codes).items():
                builder.spellings.setdefault(int(item_of[c]), {}).update(
                    dict.fromkeys(spelt))
        members[role] = (pos, items)
        touched_pos.append(pos)
        touched_item.append(items)
        summary.made[f"entities.{role} ({e.type})"] = _count_rows(pos, n)
        date = dates.get(f"entities.{role}")
        if date is not None:
            date.used[pos] = True
        entity_details(builder, frame, e, pos, items, date, issue)
    builder.check()
    builder.progress(done + share * 0.55, f"{table.where()}: entities")
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
            builder.items[item].provenance.extend(row_records[a:b])
    # links
    linked_any = np.zeros(n, dtype=bool)
    for i, lk in enumerate(spec.links):
        date = dates.get(f"links[{i}]")
        linked = make_links(builder, frame, i, lk, members, date, records, issue)
        linked_any[linked] = True
        if date is not None:
            date.used[linked] = True
        summary.made[f"links[{i}] {lk.type} ({lk.source} -> {lk.target})"] = \
            _count_rows(linked, n)
        builder.check()
    builder.progress(done + share * 0.95, f"{table.where()}: links")
    note_undated(issue, columns, key_of)
    made = np.zeros(n, dtype=bool)
    for pos_array in touched_pos:
        made[pos_array] = True
    if spec.links:
        summary.unlinked = int((made & ~linked_any).sum())
    account(summary, issue, keep, made, invalid, spec)


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
